package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.WaitingReasons;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Run;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every task that is not moving says why, from what the store holds. */
class WaitingReasonsTest {
  private final Harness h = new Harness();

  private Map<String, String> why(Orchestrator o, Run run) {
    return WaitingReasons.of(o.store(), run.snapshot(), h.clock.instant(), "down");
  }

  @Test
  void aTaskSaysWhatItWaitsFor() {
    FakeProvider slow = FakeProvider.builder("slow").scheduler(h.scheduler).latency(Duration.ofMinutes(1)).build();
    FakeProvider flaky = FakeProvider.builder("flaky").script(Reply.failure(ErrorKind.SERVER)).build();
    FakeProvider human = FakeProvider.echo("human");
    try (Orchestrator o = h.builder().provider(slow).provider(flaky).provider(human)
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).build()).build()) {
      Run run = o.submit("demo", Workflow.builder("w")
          .task("draft", t -> t.instructions("draft").provider("slow"))
          .task("edit", t -> t.instructions("edit").provider("slow").dependsOn("draft"))
          .task("check", t -> t.instructions("check").provider("flaky"))
          .task("ask", t -> t.instructions("ask").provider("human").question("Which tone?")).build());
      Map<String, String> why = why(o, run);
      assertThat(why).doesNotContainKey("draft"); // running
      assertThat(why.get("edit")).isEqualTo("waits for draft (RUNNING)");
      assertThat(why.get("check")).startsWith("attempt 2 at ").contains("after SERVER");
      assertThat(why.get("ask")).contains("waits for an answer to \"Which tone?\"", "orchestrator answer q-");
    }
  }

  @Test
  void aQueuedTaskNamesTheOpenCircuitOrThePauseThatHoldsIt() {
    FakeProvider down = FakeProvider.builder("down").otherwise(r -> Reply.failure(ErrorKind.NETWORK)).build();
    try (Orchestrator o = h.builder().provider(down).retryPolicy(RetryPolicy.none())
        .circuitBreaker(CircuitBreakerPolicy.builder().failureThreshold(1).window(Duration.ofMinutes(10))
            .openFor(Duration.ofMinutes(5)).maxOpenFor(Duration.ofMinutes(5)).build()).build()) {
      o.submit("demo", Workflow.builder("w").task("x", t -> t.instructions("x")).build());
      Run queued = o.submit("demo", Workflow.builder("w").task("y", t -> t.instructions("y")).build());
      assertThat(why(o, queued).get("y")).contains("provider down's circuit is open until",
          "as soon as it answers its health probe");
      o.resumeProvider("down");
      o.pauseProvider("down", "key rotation");
      Run paused = o.submit("demo", Workflow.builder("w").task("z", t -> t.instructions("z")).build());
      assertThat(why(o, paused).get("z")).isEqualTo("paused: provider down is paused: key rotation");
    }
  }
}
