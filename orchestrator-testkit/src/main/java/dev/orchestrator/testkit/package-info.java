/**
 * For plugin authors and tests: working doubles of time and providers, and the contract suites every plugin must
 * pass. Nothing here sleeps: tests advance a {@link dev.orchestrator.testkit.MutableClock} through a
 * {@link dev.orchestrator.testkit.ManualScheduler}, which runs what falls due.
 */
@NullMarked
package dev.orchestrator.testkit;

import org.jspecify.annotations.NullMarked;
