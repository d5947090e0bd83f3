/**
 * Events: every state change of the engine is an immutable, past-tense record appended to its project's log and
 * delivered to {@link dev.orchestrator.event.EventSubscriber}s. Listeners observe; they never change engine state.
 */
@NullMarked
package dev.orchestrator.event;

import org.jspecify.annotations.NullMarked;
