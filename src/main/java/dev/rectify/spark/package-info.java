/**
 * Data-parallel training on Apache Spark: the same network, optimizer and diagnostics as on one machine, with
 * Rectify's kernels computing every partition's gradients inside the executors. Needs {@code spark-core_2.13}
 * (4.2 or later) on the class path; the rest of the library does not.
 */
package dev.rectify.spark;
