/**
 * The embedded web dashboard, for application developers: {@link dev.orchestrator.dashboard.Dashboard#start}
 * serves a JSON API, a live event stream and pages over a running
 * {@link dev.orchestrator.core.Orchestrator}.
 */
@NullMarked
package dev.orchestrator.dashboard;

import org.jspecify.annotations.NullMarked;
