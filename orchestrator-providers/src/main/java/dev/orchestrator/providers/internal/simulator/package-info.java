/**
 * Internal: the offline, deterministic simulator provider. For this module only: it has <b>no compatibility promise</b> and may change in any release.
 * Create instances through the factories in {@code dev.orchestrator.providers}.
 */
@NullMarked
package dev.orchestrator.providers.internal.simulator;

import org.jspecify.annotations.NullMarked;
