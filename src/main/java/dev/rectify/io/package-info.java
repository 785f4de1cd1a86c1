/** Files written so that a reader sees the old content or the new one, never half ({@link dev.rectify.io.AtomicFiles}). */
package dev.rectify.io;
