/**
 * The metrics module's internals: pairing each attempt's start with its end, and the cached read of the store behind
 * the gauges. No compatibility promise: anything here may change in any release. Nothing outside
 * {@code orchestrator-micrometer} but tests may import it.
 */
@NullMarked
package dev.orchestrator.micrometer.internal;

import org.jspecify.annotations.NullMarked;
