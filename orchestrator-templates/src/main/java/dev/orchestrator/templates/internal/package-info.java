/**
 * Internal: the template parser, checks and instantiation used by {@code dev.orchestrator.templates}.
 * For the Orchestrator project only; there is no compatibility promise: anything here may change or go
 * in any release without notice. Do not import it.
 */
@NullMarked
package dev.orchestrator.templates.internal;

import org.jspecify.annotations.NullMarked;
