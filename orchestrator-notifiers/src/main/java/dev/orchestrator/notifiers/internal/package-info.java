/**
 * The notification module's internals: configuration parsing, rule matching, digests, rate limits, delivery and
 * the bundled channel implementations. No compatibility promise: anything here may change in any release.
 * Nothing outside {@code orchestrator-notifiers} but tests and examples may import it.
 */
@NullMarked
package dev.orchestrator.notifiers.internal;

import org.jspecify.annotations.NullMarked;
