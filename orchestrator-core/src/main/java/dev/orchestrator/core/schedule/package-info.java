/**
 * For application developers: {@link dev.orchestrator.core.schedule.Scheduling}, the service that starts runs at the
 * times of their {@link dev.orchestrator.schedule.Schedule}s, and
 * {@link dev.orchestrator.core.schedule.InMemoryScheduleStore}, where schedules live in tests and single processes.
 */
@NullMarked
package dev.orchestrator.core.schedule;

import org.jspecify.annotations.NullMarked;
