package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.ProviderOptions;
import dev.orchestrator.core.Reports;
import dev.orchestrator.event.CircuitClosedEvent;
import dev.orchestrator.event.CircuitHalfOpenedEvent;
import dev.orchestrator.event.CircuitOpenedEvent;
import dev.orchestrator.event.TaskRetryScheduledEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.report.FailureReport;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.Health;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResilienceTest {
  private final Harness h = new Harness();

  private static Workflow one(String id, String... providers) {
    return Workflow.builder(id).task(id, t -> t.instructions(id).providers(providers)).build();
  }

  @Test
  void roadmapStoryTimeoutsThenFailoverToAnotherProvider() {
    // Task #5 failed (ChatGPT - API timeout) -> retry #1 after 1 minute (same AI) -> failed again -> retry #2 after
    // 2 minutes (switch to Claude) -> success.
    FakeProvider chatgpt = FakeProvider.builder("chatgpt")
        .script(Reply.failure(ErrorKind.TIMEOUT), Reply.failure(ErrorKind.TIMEOUT)).build();
    FakeProvider claude = FakeProvider.builder("claude").script(Reply.text("done by claude")).build();
    try (Orchestrator o = h.builder().provider(chatgpt).provider(claude).build()) {
      Instant start = h.clock.instant();
      Run run = o.submit("demo", one("5", "chatgpt", "claude"));
      assertThat(run.task("5").state()).isEqualTo(TaskState.RETRY_WAIT);
      h.scheduler.advance(Duration.ofSeconds(59));
      assertThat(chatgpt.callCount()).isEqualTo(1);
      h.scheduler.advance(Duration.ofSeconds(1));
      assertThat(chatgpt.callCount()).isEqualTo(2);
      h.scheduler.advance(Duration.ofMinutes(2));
      assertThat(claude.callCount()).isEqualTo(1);

      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.task("5").history()).isEqualTo("chatgpt TIMEOUT, chatgpt TIMEOUT, claude succeeded");
      assertThat(h.events.events(TaskRetryScheduledEvent.class)).extracting(TaskRetryScheduledEvent::delay)
          .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(2));
      assertThat(h.events.events(TaskStartedEvent.class))
          .extracting(e -> Duration.between(start, e.at()), TaskStartedEvent::provider)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(Duration.ZERO, "chatgpt"),
              org.assertj.core.groups.Tuple.tuple(Duration.ofMinutes(1), "chatgpt"),
              org.assertj.core.groups.Tuple.tuple(Duration.ofMinutes(3), "claude"));
      FailureReport report = o.failureReport(Duration.ofHours(24));
      assertThat(report.rows()).anySatisfy(r -> {
        assertThat(r.provider()).isEqualTo("chatgpt");
        assertThat(r.failures()).isEqualTo(2);
        assertThat(r.mostCommonKind()).isEqualTo(ErrorKind.TIMEOUT);
      });
    }
  }

  @Test
  void aTaskWaitingToRetryHoldsNoSlot() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.failure(ErrorKind.SERVER)).build();
    try (Orchestrator o = h.builder().provider(p, 1).build()) {
      Run first = o.submit("demo", one("first"));
      Run second = o.submit("demo", one("second"));
      assertThat(first.task("first").state()).isEqualTo(TaskState.RETRY_WAIT);
      assertThat(second.task("second").state()).as("took the freed slot").isEqualTo(TaskState.SUCCEEDED);
      h.scheduler.advance(Duration.ofMinutes(1));
      assertThat(first.task("first").state()).isEqualTo(TaskState.SUCCEEDED);
    }
  }

  @Test
  void roadmapStoryCircuitOpensThenOneProbeClosesIt() {
    // Claude failed 3 times in 10 minutes -> circuit OPEN -> wait 30 s -> send a test task -> success: CLOSED.
    FakeProvider claude = FakeProvider.builder("claude").scheduler(h.scheduler).latency(Duration.ofMinutes(1))
        .script(Reply.failure(ErrorKind.SERVER), Reply.failure(ErrorKind.SERVER), Reply.failure(ErrorKind.SERVER))
        .build();
    try (Orchestrator o = h.builder().provider(claude, 4).retryPolicy(RetryPolicy.none()).build()) {
      for (int i = 0; i < 3; i++) {
        o.submit("demo", one("fail" + i));
        h.scheduler.advance(Duration.ofMinutes(i < 2 ? 3 : 1)); // the third call fails after its minute
      }
      List<CircuitOpenedEvent> opened = h.events.events(CircuitOpenedEvent.class);
      assertThat(opened).singleElement().satisfies(e -> {
        assertThat(e.provider()).isEqualTo("claude");
        assertThat(e.recentFailures()).isEqualTo(3);
        assertThat(e.openFor()).isEqualTo(Duration.ofSeconds(30));
      });
      CircuitState open = o.circuit("claude");
      assertThat(open.state()).isEqualTo(CircuitState.State.OPEN);
      assertThat(open.probeAt()).isEqualTo(opened.get(0).at().plus(Duration.ofSeconds(30)));

      Run waiting = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("a"))
          .task("b", t -> t.instructions("b")).build());
      h.scheduler.advanceTo(opened.get(0).at().plus(Duration.ofSeconds(29)));
      assertThat(claude.callCount()).as("no call while open").isEqualTo(3);
      assertThat(waiting.task("a").state()).isEqualTo(TaskState.READY);

      h.scheduler.advance(Duration.ofSeconds(1));
      assertThat(o.circuit("claude").state()).isEqualTo(CircuitState.State.HALF_OPEN);
      assertThat(claude.callCount()).as("exactly one probe").isEqualTo(4);
      assertThat(h.events.events(CircuitHalfOpenedEvent.class)).hasSize(1);

      h.scheduler.advance(Duration.ofMinutes(1));
      assertThat(o.circuit("claude").state()).isEqualTo(CircuitState.State.CLOSED);
      assertThat(h.events.events(CircuitClosedEvent.class)).hasSize(1);
      assertThat(claude.callCount()).as("the other task flows again").isEqualTo(5);
      h.scheduler.advance(Duration.ofMinutes(1));
      assertThat(waiting.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void aProviderBackFromAnOutageIsUsedAgainAsSoonAsItAnswersItsHealthProbe() {
    java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
    FakeProvider local = FakeProvider.builder("local").scheduler(h.scheduler).latency(Duration.ofSeconds(1))
        .otherwise(r -> down.get() ? Reply.failure(ErrorKind.SERVER) : Reply.text("ok"))
        .health(() -> down.get() ? Health.down(null, "cannot connect") : Health.up(Duration.ofMillis(3), "200"))
        .build();
    try (Orchestrator o = h.builder().provider(local, 8).retryPolicy(RetryPolicy.builder().maxAttempts(10).build())
        .build()) {
      Workflow.Builder w = Workflow.builder("w");
      for (int i = 0; i < 8; i++) {
        w.task("t" + i, t -> t.instructions("x"));
      }
      Run run = o.submit("demo", w.build());
      for (int s = 0; s < 300 && o.circuit("local").state() != CircuitState.State.OPEN; s++) {
        h.scheduler.advance(Duration.ofSeconds(1));
      }
      Instant opened = h.events.events(CircuitOpenedEvent.class).get(0).at();
      assertThat(h.events.events(CircuitOpenedEvent.class).get(0).recentFailures()).isEqualTo(3);

      h.scheduler.advanceTo(opened.plusSeconds(8));
      assertThat(local.probeCount()).as("probed at +5 s, found down").isEqualTo(1);
      down.set(false); // the server is back at +8 s
      h.scheduler.advanceTo(opened.plusSeconds(15));
      assertThat(local.probeCount()).as("the next probe, 10 s after the first").isEqualTo(2);
      assertThat(h.events.events(CircuitHalfOpenedEvent.class)).hasSize(1);
      // The next task to come back from its retry's backoff is the probe call; its success closes the circuit.
      for (int s = 0; s < 60 && !run.completion().isDone(); s++) {
        h.scheduler.advance(Duration.ofSeconds(1));
      }
      assertThat(run.completion()).as("every task, its retry's minute of backoff cut short").isDone();
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(o.circuit("local").state()).isEqualTo(CircuitState.State.CLOSED);
      assertThat(h.clock.instant()).as("before the 30 s opening would have ended").isBefore(opened.plusSeconds(30));
      assertThat(h.events.events(CircuitOpenedEvent.class)).as("never reopened").hasSize(1);
    }
  }

  @Test
  void callsThatCouldNotReachTheProviderAreRetriedAsSoonAsItAnswersThoughTheCircuitStayedClosed() {
    java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
    FakeProvider local = FakeProvider.builder("local").scheduler(h.scheduler).latency(Duration.ofSeconds(1))
        .otherwise(r -> down.get() ? Reply.failure(ErrorKind.NETWORK) : Reply.text("ok"))
        .health(() -> down.get() ? Health.down(null, "cannot connect") : Health.up(Duration.ofMillis(2), "200"))
        .build();
    try (Orchestrator o = h.builder().provider(local, 8).build()) { // the default retries: from 1 minute
      Workflow.Builder w = Workflow.builder("w");
      for (int i = 0; i < 8; i++) {
        w.task("t" + i, t -> t.instructions("x"));
      }
      Run run = o.submit("demo", w.build());
      h.scheduler.advance(Duration.ofSeconds(1));
      assertThat(o.circuit("local").state()).as("eight calls of one outage count once")
          .isEqualTo(CircuitState.State.CLOSED);
      h.scheduler.advance(Duration.ofSeconds(5));
      assertThat(local.probeCount()).as("probed 5 s after the failure, still down").isEqualTo(1);
      down.set(false);
      h.scheduler.advance(Duration.ofSeconds(10));
      assertThat(local.probeCount()).isEqualTo(2);
      h.scheduler.advance(Duration.ofSeconds(2));
      assertThat(run.completion()).as("every task, well before its retry's minute").isDone();
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void aHealthProbeThatSaysUpWhileCallsStillFailIsNotBelievedAgainUntilTheCircuitCloses() {
    FakeProvider liar = FakeProvider.builder("liar").otherwise(r -> Reply.failure(ErrorKind.SERVER))
        .health(() -> Health.up(Duration.ofMillis(1), "200")).build();
    try (Orchestrator o = h.builder().provider(liar).retryPolicy(RetryPolicy.none()).build()) {
      for (int i = 0; i < 3; i++) {
        o.submit("demo", one("fail" + i));
      }
      assertThat(o.circuit("liar").state()).isEqualTo(CircuitState.State.OPEN);
      o.submit("demo", one("probe"));
      h.scheduler.advance(Duration.ofSeconds(5));
      assertThat(liar.callCount()).as("its health probe let one call through, which failed").isEqualTo(4);
      List<CircuitOpenedEvent> opened = h.events.events(CircuitOpenedEvent.class);
      assertThat(opened).hasSize(2);
      assertThat(opened.get(1).openFor()).as("twice the 30 s it cut short").isEqualTo(Duration.ofMinutes(1));
      o.submit("demo", one("waits"));
      h.scheduler.advance(Duration.ofSeconds(59));
      assertThat(liar.probeCount()).as("no more health probes").isEqualTo(1);
      assertThat(liar.callCount()).isEqualTo(4);
    }
  }

  @Test
  void aDryRunWarnsOfAnOpenCircuitAndAPausedProviderItWouldUse() {
    FakeProvider claude = FakeProvider.builder("claude").otherwise(r -> Reply.failure(ErrorKind.SERVER)).build();
    FakeProvider gemini = FakeProvider.echo("gemini");
    try (Orchestrator o = h.builder().provider(claude).provider(gemini).retryPolicy(RetryPolicy.none()).build()) {
      for (int i = 0; i < 3; i++) {
        o.submit("demo", one("fail" + i, "claude"));
      }
      o.pauseProvider("gemini", "quota review");
      Workflow w = Workflow.builder("w").task("a", t -> t.instructions("a").provider("claude"))
          .task("b", t -> t.instructions("b").provider("gemini")).build();
      List<String> notes = o.plan("demo", w, Map.of()).notes();
      assertThat(notes).anySatisfy(n -> assertThat(n).contains("claude's circuit is open until",
          "go to another of their providers or wait"));
      assertThat(notes).anySatisfy(n -> assertThat(n).contains("gemini is paused (quota review)"));
      o.resumeProvider("claude");
      o.resumeProvider("gemini");
      assertThat(o.plan("demo", w, Map.of()).notes()).noneSatisfy(n -> assertThat(n).contains("circuit"));
    }
  }

  @Test
  void aFailedProbeReopensTheCircuitAndFailuresSpreadOutDoNotOpenIt() {
    FakeProvider claude = FakeProvider.builder("claude").otherwise(r -> Reply.failure(ErrorKind.OVERLOADED)).build();
    try (Orchestrator o = h.builder().provider(claude).retryPolicy(RetryPolicy.none()).build()) {
      for (int i = 0; i < 3; i++) {
        o.submit("demo", one("spread" + i));
        h.scheduler.advance(Duration.ofMinutes(6));
      }
      assertThat(o.circuit("claude").state()).as("3 failures over 12 minutes").isEqualTo(CircuitState.State.CLOSED);
      o.submit("demo", one("x"));
      o.submit("demo", one("y"));
      assertThat(o.circuit("claude").state()).isEqualTo(CircuitState.State.OPEN);
      o.submit("demo", one("probe"));
      h.scheduler.advance(Duration.ofSeconds(30));
      List<CircuitOpenedEvent> opened = h.events.events(CircuitOpenedEvent.class);
      assertThat(opened).as("the failed probe reopened it").hasSize(2);
      assertThat(opened.get(1).openFor()).as("for twice as long").isEqualTo(Duration.ofMinutes(1));
      assertThat(o.circuit("claude").state()).isEqualTo(CircuitState.State.OPEN);
    }
  }

  @Test
  void resumingAProviderClosesItsCircuitInEveryEngineSharingTheStore() {
    // A wrong key opens the circuit; once the key is fixed, a person resumes the provider rather than wait an hour.
    java.util.concurrent.atomic.AtomicBoolean keyFixed = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.function.Function<dev.orchestrator.spi.provider.ProviderRequest, Reply> answer =
        r -> keyFixed.get() ? Reply.text("ok") : Reply.failure(ErrorKind.AUTH);
    FakeProvider here = FakeProvider.builder("claude").otherwise(answer).build();
    FakeProvider there = FakeProvider.builder("claude").otherwise(answer).build();
    dev.orchestrator.core.InMemoryStore store = dev.orchestrator.core.InMemoryStore.create(h.clock);
    try (Orchestrator o = h.builder().store(store).provider(here).retryPolicy(RetryPolicy.none()).build();
        Orchestrator other = h.builder().store(store).provider(there).retryPolicy(RetryPolicy.none()).build()) {
      for (int i = 0; i < 3; i++) {
        o.submit("demo", one("bad" + i));
      }
      assertThat(o.circuit("claude").state()).isEqualTo(CircuitState.State.OPEN);
      Run waitingHere = o.submit("demo", one("here"));
      Run waitingThere = other.submit("demo", one("there"));
      assertThat(waitingThere.task("there").state()).as("the other engine keeps away too").isEqualTo(TaskState.READY);

      keyFixed.set(true);
      o.resumeProvider("claude");

      assertThat(o.circuit("claude").state()).isEqualTo(CircuitState.State.CLOSED);
      assertThat(h.events.events(CircuitClosedEvent.class)).hasSize(1);
      assertThat(waitingHere.task("here").state()).as("at once here").isEqualTo(TaskState.SUCCEEDED);
      h.scheduler.advance(Duration.ofSeconds(30));
      assertThat(waitingThere.task("there").state()).as("within 30 s there").isEqualTo(TaskState.SUCCEEDED);
    }
  }

  @Test
  void anOpenCircuitSendsQueuedTasksToAnotherCandidate() {
    FakeProvider flaky = FakeProvider.builder("flaky").otherwise(r -> Reply.failure(ErrorKind.NETWORK)).build();
    FakeProvider steady = FakeProvider.echo("steady");
    try (Orchestrator o = h.builder().provider(flaky, 1).provider(steady)
        .circuitBreaker(CircuitBreakerPolicy.builder().failureThreshold(3).window(Duration.ofMinutes(10))
            .openFor(Duration.ofHours(1)).maxOpenFor(Duration.ofHours(1)).build())
        .retryPolicy(RetryPolicy.builder().failoverAfter(5).maxAttempts(6).build()).build()) {
      Workflow.Builder w = Workflow.builder("w");
      for (int i = 0; i < 6; i++) {
        w.task("t" + i, t -> t.instructions("x").providers("flaky", "steady"));
      }
      Run run = o.submit("demo", w.build());
      h.scheduler.runUntilIdle(Duration.ofDays(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(flaky.callCount()).as("no call after the circuit opened").isEqualTo(3);
      assertThat(run.snapshot().tasks()).allSatisfy(t -> assertThat(t.provider()).isEqualTo("steady"));
    }
  }

  @Test
  void nonRetryableErrorsAreNeverRetriedAndKeepTheProvidersMessage() {
    for (ErrorKind kind : List.of(ErrorKind.AUTH, ErrorKind.INVALID_REQUEST, ErrorKind.CONTENT_REFUSED)) {
      FakeProvider p = FakeProvider.builder("p").script(Reply.failure(kind)).build();
      try (Orchestrator o = h.builder().provider(p).provider(FakeProvider.echo("other")).build()) {
        Run run = o.submit("demo", one("a", "p", "other"));
        h.scheduler.advance(Duration.ofHours(2));
        assertThat(p.callCount()).isEqualTo(1);
        assertThat(run.task("a").state()).isEqualTo(TaskState.FAILED);
        assertThat(run.task("a").errorKind()).isEqualTo(kind);
        assertThat(run.task("a").error()).isEqualTo("p " + kind + ": injected "
            + kind.name().toLowerCase(java.util.Locale.ROOT) + " failure");
      }
    }
  }

  @Test
  void retryAfterIsHonouredWhenLongerThanTheBackoff() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.rateLimited(Duration.ofMinutes(5))).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one("a"));
      assertThat(h.events.events(TaskRetryScheduledEvent.class)).singleElement()
          .satisfies(e -> assertThat(e.delay()).isEqualTo(Duration.ofMinutes(5)));
      h.scheduler.advance(Duration.ofMinutes(4));
      assertThat(p.callCount()).isEqualTo(1);
      h.scheduler.advance(Duration.ofMinutes(1));
      assertThat(run.task("a").state()).isEqualTo(TaskState.SUCCEEDED);
    }
  }

  @Test
  void jitterSpreadsRetriesWithinItsBounds() {
    RetryPolicy policy = RetryPolicy.builder().jitter(0.5).build();
    FakeProvider p = FakeProvider.builder("p").otherwise(r -> Reply.failure(ErrorKind.SERVER)).build();
    try (Orchestrator o = h.builder().provider(p).retryPolicy(policy)
        .circuitBreaker(dev.orchestrator.policy.CircuitBreakerPolicy.disabled()).build()) {
      for (int i = 0; i < 20; i++) {
        o.submit("demo", one("t" + i));
      }
      assertThat(h.events.events(TaskRetryScheduledEvent.class)).hasSize(20).allSatisfy(e -> assertThat(e.delay())
          .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(90)))
          .extracting(TaskRetryScheduledEvent::delay).doesNotHaveDuplicates();
    }
  }

  @Test
  void aRateLimitKeepsTasksReadyUntilTheMinuteAllowsThem() {
    FakeProvider p = FakeProvider.echo("p");
    try (Orchestrator o = h.builder()
        .provider(p, ProviderOptions.builder().rateLimit(RateLimit.requestsPerMinute(2)).build()).build()) {
      Workflow.Builder w = Workflow.builder("w");
      for (int i = 0; i < 5; i++) {
        w.task("t" + i, t -> t.instructions("x"));
      }
      Run run = o.submit("demo", w.build());
      assertThat(p.callCount()).isEqualTo(2);
      assertThat(run.task("t2").state()).isEqualTo(TaskState.READY);
      h.scheduler.advance(Duration.ofSeconds(59));
      assertThat(p.callCount()).isEqualTo(2);
      h.scheduler.advance(Duration.ofSeconds(1));
      assertThat(p.callCount()).isEqualTo(4);
      h.scheduler.advance(Duration.ofMinutes(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void aPausedProviderHoldsItsQueueUntilResumed() {
    FakeProvider p = FakeProvider.builder("p").scheduler(h.scheduler).latency(Duration.ofMinutes(1)).build();
    try (Orchestrator o = h.builder().provider(p, 1).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("a"))
          .task("b", t -> t.instructions("b")).build());
      o.pauseProvider("p", "maintenance window");
      assertThat(run.task("a").state()).as("running calls finish").isEqualTo(TaskState.RUNNING);
      assertThat(run.task("b").state()).isEqualTo(TaskState.PAUSED);
      assertThat(o.circuit("p").paused()).isTrue();
      h.scheduler.advance(Duration.ofHours(1));
      assertThat(run.task("a").state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(p.callCount()).isEqualTo(1);
      o.resumeProvider("p");
      h.scheduler.advance(Duration.ofMinutes(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void providersDeclaringATaskTypeAreFailoverCandidates() {
    FakeProvider openai = FakeProvider.builder("openai").otherwise(r -> Reply.failure(ErrorKind.TIMEOUT)).build();
    FakeProvider anthropic = FakeProvider.echo("anthropic");
    try (Orchestrator o = h.builder().provider(openai)
        .provider(anthropic, ProviderOptions.builder().taskTypes("code_generation").build())
        .defaultProvider("openai").build()) {
      Run run = o.submit("demo", Workflow.builder("w")
          .task("code", t -> t.instructions("write it").provider("openai").taskType("code_generation")).build());
      h.scheduler.advance(Duration.ofMinutes(3));
      assertThat(run.task("code").history()).isEqualTo("openai TIMEOUT, openai TIMEOUT, anthropic succeeded");
    }
  }

  @Test
  void theFailureReportFindsPatternsAndSuggestsABetterProvider() {
    FakeProvider openai = FakeProvider.builder("openai").script(Reply.failure(ErrorKind.TIMEOUT),
        Reply.failure(ErrorKind.TIMEOUT), Reply.failure(ErrorKind.SERVER), Reply.text("ok"), Reply.text("ok"))
        .build();
    FakeProvider anthropic = FakeProvider.echo("anthropic");
    try (Orchestrator o = h.builder().provider(openai).provider(anthropic).retryPolicy(RetryPolicy.none())
        .circuitBreaker(dev.orchestrator.policy.CircuitBreakerPolicy.disabled()).build()) {
      for (int i = 0; i < 5; i++) {
        String id = "o" + i;
        o.submit("demo", Workflow.builder(id).task(id, t -> t.instructions("x").provider("openai")
            .taskType("code_generation")).build());
        String other = "a" + i;
        o.submit("demo", Workflow.builder(other).task(other, t -> t.instructions("x").provider("anthropic")
            .taskType("code_generation")).build());
      }
      FailureReport report = o.failureReport(Duration.ofHours(24));
      assertThat(report.suggestions()).containsExactly("openai failed 60% of code_generation tasks in the last 24 h, "
          + "mostly TIMEOUT; anthropic succeeded 100%: prefer anthropic for code_generation");
      assertThat(report.toText()).contains("openai", "code_generation", "60%", "TIMEOUT", "Suggestions");
      assertThat(Reports.toJson(report)).contains("\"provider\" : \"openai\"", "\"failures\" : 3",
          "\"suggestions\"");
      h.scheduler.advance(Duration.ofHours(25));
      assertThat(o.failureReport(Duration.ofHours(24)).rows()).as("outside the window").isEmpty();
    }
  }
}
