package dev.rectify.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one parser of activation names: every spelling a person uses, and a clear refusal. */
class AlgorithmNamesTest {
    @Test
    void everySpellingOfANameFindsItsAlgorithm() {
        assertEquals(Algorithm.LEAKY_RELU, Algorithm.fromName("leakyRelu"));
        assertEquals(Algorithm.LEAKY_RELU, Algorithm.fromName("leaky-relu"));
        assertEquals(Algorithm.LEAKY_RELU, Algorithm.fromName("LEAKY_RELU"));
        assertEquals(Algorithm.LEAKY_RELU, Algorithm.fromName(" leaky "));
        assertEquals(Algorithm.GELU_ERF, Algorithm.fromName("gelu"));
        assertEquals(Algorithm.GELU_TANH, Algorithm.fromName("gelu-tanh"));
        assertEquals(Algorithm.SILU, Algorithm.fromName("swish"));
        assertEquals(Algorithm.HARD_SIGMOID, Algorithm.fromName("hard_sigmoid"));
        assertEquals(Algorithm.RELU6, Algorithm.fromName("ReLU6"));
    }

    @Test
    void theStrictNameIsTheApiNameOnly() {
        assertEquals(Algorithm.LEAKY_RELU, Algorithm.fromApiName("leakyRelu"));
        assertThrows(IllegalArgumentException.class, () -> Algorithm.fromApiName("leaky-relu"));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Algorithm.fromName("relu7"));
        assertTrue(e.getMessage().contains("'relu7'") && e.getMessage().contains("hardSwish"), e.getMessage());
    }
}
