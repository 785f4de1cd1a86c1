/**
 * What sits on top of training runs: the dying-ReLU study grid ({@link dev.rectify.diagnostics.StudyGrid}) and
 * its report ({@link dev.rectify.diagnostics.StudyReport}: conclusions, a self-contained HTML page with SVG
 * charts), CSV and JSON export of a run's history ({@link dev.rectify.diagnostics.HistoryExport}), and the
 * born-dead Monte Carlo estimate of Lu et al. ({@link dev.rectify.diagnostics.BornDeadEstimator}).
 */
package dev.rectify.diagnostics;
