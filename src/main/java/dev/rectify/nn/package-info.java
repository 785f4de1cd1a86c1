/**
 * A thin dense-network trainer on the kernels, with the dying-ReLU diagnostics.
 *
 * <p>{@link dev.rectify.nn.Network} stacks layers ({@link dev.rectify.nn.Dense} with its activation fused into the
 * GEMM, {@link dev.rectify.nn.Activation}, {@link dev.rectify.nn.PRelu}, {@link dev.rectify.nn.BatchNorm},
 * {@link dev.rectify.nn.Dropout}) drawn by an {@link dev.rectify.nn.Init}; {@link dev.rectify.nn.Trainer} fits
 * it with a {@link dev.rectify.nn.Loss}, an {@link dev.rectify.nn.Optimizer} and a
 * {@link dev.rectify.nn.Schedule}, and records per epoch ({@link dev.rectify.nn.EpochRecord}) and hidden layer
 * ({@link dev.rectify.nn.LayerEpoch}) which units are dead or dormant, died or revived. Divergence is never
 * silent ({@link dev.rectify.nn.TrainingDivergedException}). {@link dev.rectify.nn.Checkpoint} saves a network,
 * its optimizer and the trainer's {@link dev.rectify.nn.TrainingState} so that a run resumes bit for bit. The same
 * seed gives the same bits on the same kernel path.
 */
package dev.rectify.nn;
