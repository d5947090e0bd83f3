/**
 * The {@code orchestrator} command line: for people who run workflows from a terminal and for scripts
 * ({@code --json}). {@link dev.orchestrator.cli.Main} is the entry point of the runnable jar and of
 * {@code bin/orchestrator}.
 */
@org.jspecify.annotations.NullMarked
package dev.orchestrator.cli;
