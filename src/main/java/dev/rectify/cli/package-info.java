/**
 * Not API: the {@code rectify} command (picocli). It parses options, checks them before any work starts, calls
 * the library and prints; its error contract is on {@link dev.rectify.cli.Main}.
 */
package dev.rectify.cli;
