package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.CircuitClosedEvent;
import dev.orchestrator.event.CircuitHalfOpenedEvent;
import dev.orchestrator.event.CircuitOpenedEvent;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** With random transient faults and a healthy candidate, every run completes and open circuits get no calls. */
class ResilienceProperties {

  @Property(tries = 300)
  void everyRunCompletesAndNoCallReachesAnOpenCircuit(
      @ForAll @IntRange(min = 1, max = 25) int tasks,
      @ForAll @DoubleRange(min = 0, max = 1) double faultRate,
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int failoverAfter,
      @ForAll @IntRange(min = 1, max = 4) int flakyLimit,
      @ForAll @IntRange(min = 0, max = 20) int latencyMinutes,
      @ForAll boolean timeouts) {
    Harness h = new Harness();
    ErrorKind kind = timeouts ? ErrorKind.TIMEOUT : ErrorKind.SERVER;
    FakeProvider.Builder flakyBuilder = FakeProvider.builder("flaky").randomFailures(faultRate, kind, seed);
    if (latencyMinutes > 0) {
      flakyBuilder.scheduler(h.scheduler).latency(Duration.ofMinutes(latencyMinutes));
    }
    FakeProvider flaky = flakyBuilder.build();
    FakeProvider healthy = FakeProvider.builder("healthy").scheduler(h.scheduler).latency(Duration.ofMinutes(2))
        .build();
    RetryPolicy retry = RetryPolicy.builder().maxAttempts(failoverAfter + 2).failoverAfter(failoverAfter).build();
    try (Orchestrator o = h.builder().provider(flaky, flakyLimit).provider(healthy, 2).retryPolicy(retry).build()) {
      List<Run> runs = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        String id = "t" + i;
        runs.add(o.submit("p", Workflow.builder(id).task(id, t -> t.instructions(id).providers("flaky", "healthy"))
            .build()));
        h.scheduler.advance(Duration.ofMinutes(1));
      }
      h.scheduler.runUntilIdle(Duration.ofDays(30));
      for (Run r : runs) {
        assertThat(r.completion().getNow(null)).as("run %s finished", r.id()).isNotNull();
        assertThat(r.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      }
      // Replay: between an opening and the next half-opening, no call starts on that provider; while half-open, at
      // most one does.
      Map<String, String> state = new HashMap<>();
      Map<String, Integer> probes = new HashMap<>();
      for (Event e : h.events.events()) {
        if (e instanceof CircuitOpenedEvent c) {
          state.put(c.provider(), "OPEN");
        } else if (e instanceof CircuitHalfOpenedEvent c) {
          state.put(c.provider(), "HALF_OPEN");
          probes.put(c.provider(), 0);
        } else if (e instanceof CircuitClosedEvent c) {
          state.put(c.provider(), "CLOSED");
        } else if (e instanceof TaskStartedEvent s) {
          String st = state.getOrDefault(s.provider(), "CLOSED");
          assertThat(st).as("a call started on %s while its circuit was open", s.provider()).isNotEqualTo("OPEN");
          if (st.equals("HALF_OPEN")) {
            assertThat(probes.merge(s.provider(), 1, Integer::sum)).as("one probe at a time").isEqualTo(1);
          }
        }
      }
    }
  }
}
