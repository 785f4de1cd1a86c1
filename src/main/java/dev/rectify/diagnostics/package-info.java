/**
 * Dying-ReLU diagnostics beside the trainer: the dead-unit monitor ({@link dev.rectify.diagnostics.DeadUnitMonitor},
 * a training listener whose per-layer masks merge by OR), the study grid ({@link dev.rectify.diagnostics.StudyGrid})
 * and the born-dead Monte Carlo estimate of Lu et al. ({@link dev.rectify.diagnostics.BornDeadEstimator}).
 * Their reports (HTML, CSV, JSON) are written by {@code dev.rectify.report}.
 */
package dev.rectify.diagnostics;
