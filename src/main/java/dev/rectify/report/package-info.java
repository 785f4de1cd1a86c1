/**
 * Reports on top of training runs and studies: the study's conclusions and its self-contained HTML page with SVG
 * charts ({@link dev.rectify.report.StudyReport}), and CSV and JSON export of a run's per-epoch history
 * ({@link dev.rectify.report.HistoryExport}). Every file is written atomically through {@link dev.rectify.io.AtomicFiles}.
 */
package dev.rectify.report;
