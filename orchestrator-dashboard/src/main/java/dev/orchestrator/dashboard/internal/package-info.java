/**
 * The dashboard's internals: the HTTP routes, the security checks and the event fan-out. No compatibility promise:
 * anything here may change in any release. Nothing outside {@code orchestrator-dashboard} but its tests may import
 * it.
 */
@NullMarked
package dev.orchestrator.dashboard.internal;

import org.jspecify.annotations.NullMarked;
