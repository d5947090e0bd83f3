/**
 * The scheduling service's internals. No compatibility promise: anything here may change in any release. Nothing
 * outside {@code orchestrator-core} but tests and examples may import it.
 */
@NullMarked
package dev.orchestrator.core.schedule.internal;

import org.jspecify.annotations.NullMarked;
