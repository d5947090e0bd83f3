package dev.orchestrator.functional;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.RecordingListener;

/** A deterministic engine set-up: virtual time, and the dispatch loop on the test's thread. */
final class Harness {
  final MutableClock clock = MutableClock.create();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final RecordingListener events = new RecordingListener();

  Orchestrator.Builder builder() {
    return Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run).listener(events);
  }
}
