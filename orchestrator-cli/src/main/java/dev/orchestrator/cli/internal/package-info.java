/**
 * The command line's implementation: commands, configuration, the store seam and the progress display. Internal:
 * no compatibility promise, may change in any release.
 */
@org.jspecify.annotations.NullMarked
package dev.orchestrator.cli.internal;
