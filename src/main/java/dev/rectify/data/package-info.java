/**
 * In-memory data sets ({@link dev.rectify.data.Dataset}) and where they come from: the embedded UCI digits
 * ({@link dev.rectify.data.Digits}), CSV and MNIST IDX files ({@link dev.rectify.data.CsvLoader},
 * {@link dev.rectify.data.IdxLoader}; plain or gzipped, every size checked against what the file holds, every
 * error naming the file) and synthetic sets ({@link dev.rectify.data.Synthetic}).
 */
package dev.rectify.data;
