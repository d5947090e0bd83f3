/**
 * Internal: the command-line agent provider. For this module only: it has <b>no compatibility promise</b> and may change in any release.
 * Create instances through the factories in {@code dev.orchestrator.providers}.
 */
@NullMarked
package dev.orchestrator.providers.internal.cli;

import org.jspecify.annotations.NullMarked;
