package dev.rectify.kernels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs in Surefire's second execution, in a JVM started without the incubator module: the library must
 * load, pick the scalar path, and say once, at WARNING, how to get the SIMD path.
 */
class KernelSelectionWithoutIncubatorTest {
    @Test
    void fallsBackToScalarAndLogsTheFix() {
        assertFalse(Kernels.vectorModulePresent(), "this execution must run without " + Kernels.FLAG);
        List<LogRecord> records = new ArrayList<>();
        Logger jul = Logger.getLogger("dev.rectify.kernels");
        Handler capture = new Handler() {
            @Override public void publish(LogRecord r) { records.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        jul.addHandler(capture);
        try {
            Kernels.Selection s = Kernels.selection();
            assertEquals("scalar", s.path());
            assertEquals("scalar", Kernels.activations().name());
            assertTrue(s.reason().contains(Kernels.FLAG), s.reason());
            Kernels.activations(); // chosen once: no second log line
        } finally {
            jul.removeHandler(capture);
        }
        assertEquals(1, records.size(), "exactly one log line");
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertTrue(records.get(0).getMessage().contains("--add-modules jdk.incubator.vector"), records.get(0).getMessage());
        assertTrue(records.get(0).getMessage().contains("scalar"), records.get(0).getMessage());
    }

    @Test
    void scalarKernelsWorkWithoutTheModule() {
        float[] x = {-2f, -0f, 0f, 3f, Float.NaN};
        float[] y = new float[x.length];
        Kernels.activations().forward(Eltwise.relu(), x, 0, y, 0, x.length);
        assertEquals(0f, y[0]);
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(y[1]));
        assertEquals(3f, y[3]);
        assertTrue(Float.isNaN(y[4]));
    }

    @Test
    void scalarGemmWorksWithoutTheModule() {
        Gemm g = Kernels.gemm();
        assertEquals("scalar", g.name());
        float[] a = {1f, 2f, 3f, 4f}, b = {5f, 6f, 7f, 8f}, c = new float[4];
        g.sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2,
                GemmEpilogue.biasPerColumn(new float[] {-20f, -50f}, 0).withActivation(Eltwise.relu()));
        assertEquals(List.of(0f, 0f, 23f, 0f), List.of(c[0], c[1], c[2], c[3])); // [19 22; 43 50] + bias, relu
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class, () -> Kernels.simdGemm(256));
        assertTrue(u.getMessage().contains(Kernels.FLAG), u.getMessage());
    }

    @Test
    void askingForSimdNamesTheMissingFlag() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Kernels.select("simd"));
        assertTrue(e.getMessage().contains(Kernels.FLAG), e.getMessage());
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class, () -> Kernels.simd(256));
        assertTrue(u.getMessage().contains(Kernels.FLAG), u.getMessage());
        UnsupportedOperationException set = assertThrows(UnsupportedOperationException.class, () -> Kernels.simdSet(256));
        assertTrue(set.getMessage().contains(Kernels.FLAG), set.getMessage());
        assertEquals("scalar", Kernels.selection().kernels().name());
    }
}
