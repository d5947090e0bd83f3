/**
 * For application developers: schedules that start runs of a workflow at cron times, once at an instant, or
 * repeatedly, in a time zone, with a policy for fires that were missed. The service that fires them is
 * {@code dev.orchestrator.core.schedule.Scheduling} in {@code orchestrator-core}; where they are kept is the
 * {@link dev.orchestrator.spi.store.ScheduleStore} SPI.
 */
@NullMarked
package dev.orchestrator.schedule;

import org.jspecify.annotations.NullMarked;
