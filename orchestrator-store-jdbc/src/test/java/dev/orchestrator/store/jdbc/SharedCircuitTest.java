package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.CircuitClosedEvent;
import dev.orchestrator.event.CircuitHalfOpenedEvent;
import dev.orchestrator.event.CircuitOpenedEvent;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.StoredEvent;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines on one embedded store, as two processes on one data directory: a provider's circuit breaker and rate
 * window are the store's, so what one engine learns of the provider keeps the other away too.
 */
class SharedCircuitTest {
  private static final CircuitBreakerPolicy BREAKER = CircuitBreakerPolicy.builder().failureThreshold(2)
      .window(Duration.ofMinutes(10)).openFor(Duration.ofHours(1)).maxOpenFor(Duration.ofHours(1)).build();

  @TempDir
  Path dataDir;

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-05T09:00:00Z"), ZoneOffset.UTC);
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  private Orchestrator engine(JdbcStore store, FakeProvider claude, RateLimit rate) {
    return Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run).store(store)
        .provider(claude, dev.orchestrator.core.ProviderOptions.builder().rateLimit(rate).build())
        .retryPolicy(RetryPolicy.none()).circuitBreaker(BREAKER).build();
  }

  private static Workflow one(String id) {
    return Workflow.builder("w").task(id, t -> t.instructions("do " + id)).build();
  }

  @Test
  void aCircuitOpenedByOneEngineKeepsTheOtherAwayAndOneProbeClosesItForBoth() {
    AtomicBoolean healthy = new AtomicBoolean();
    FakeProvider claudeOne = FakeProvider.builder("claude")
        .otherwise(r -> healthy.get() ? FakeProvider.Reply.text("ok") : FakeProvider.Reply.failure(ErrorKind.SERVER))
        .build();
    FakeProvider claudeTwo = FakeProvider.builder("claude")
        .otherwise(r -> healthy.get() ? FakeProvider.Reply.text("ok") : FakeProvider.Reply.failure(ErrorKind.SERVER))
        .build();
    try (JdbcStore first = JdbcStore.embedded(dataDir); JdbcStore second = JdbcStore.embedded(dataDir);
        Orchestrator one = engine(first, claudeOne, RateLimit.none());
        Orchestrator two = engine(second, claudeTwo, RateLimit.none())) {
      one.submit("blog", one("a"));
      two.submit("blog", one("b")); // the second failure, in the other engine, opens the circuit
      assertThat(one.circuit("claude").state()).isEqualTo(CircuitState.State.OPEN);

      Run waiting = one.submit("blog", one("c"));
      Run waitingToo = two.submit("blog", one("d"));
      scheduler.advance(Duration.ofMinutes(59));
      assertThat(claudeOne.callCount() + claudeTwo.callCount()).as("no call while open, in either").isEqualTo(2);
      assertThat(waiting.task("c").state()).isEqualTo(TaskState.READY);
      assertThat(waitingToo.task("d").state()).isEqualTo(TaskState.READY);

      healthy.set(true);
      scheduler.advance(Duration.ofMinutes(1));
      scheduler.advance(Duration.ofSeconds(5)); // a probe held by the other engine is asked about again
      assertThat(one.circuit("claude").state()).isEqualTo(CircuitState.State.CLOSED);
      assertThat(two.circuit("claude").state()).isEqualTo(CircuitState.State.CLOSED);
      assertThat(waiting.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(waitingToo.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(claudeOne.callCount() + claudeTwo.callCount()).as("the probe, then the other task").isEqualTo(4);

      List<String> moves = first.eventsAfter(0, 1_000).stream().map(StoredEvent::event)
          .filter(e -> e instanceof CircuitOpenedEvent || e instanceof CircuitHalfOpenedEvent
              || e instanceof CircuitClosedEvent)
          .map(e -> e.getClass().getSimpleName()).toList();
      assertThat(moves).as("each move once, whichever engine made it")
          .containsExactly("CircuitOpenedEvent", "CircuitHalfOpenedEvent", "CircuitClosedEvent");
    }
  }

  @Test
  void aTaskThatFindsTheCircuitOpenedElsewhereGoesToItsOtherCandidateAtOnce() {
    FakeProvider failing = FakeProvider.builder("claude").otherwise(r -> FakeProvider.Reply.failure(ErrorKind.SERVER))
        .build();
    FakeProvider claudeTwo = FakeProvider.echo("claude");
    FakeProvider steady = FakeProvider.echo("steady");
    try (JdbcStore first = JdbcStore.embedded(dataDir); JdbcStore second = JdbcStore.embedded(dataDir);
        Orchestrator one = engine(first, failing, RateLimit.none());
        Orchestrator two = Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run)
            .store(second).provider(claudeTwo).provider(steady).retryPolicy(RetryPolicy.none())
            .circuitBreaker(BREAKER).build()) {
      one.submit("blog", one("a"));
      one.submit("blog", one("b"));
      assertThat(two.circuit("claude").state()).isEqualTo(CircuitState.State.OPEN);

      Run run = two.submit("blog", Workflow.builder("w")
          .task("c", t -> t.instructions("do c").providers("claude", "steady")).build());

      assertThat(run.task("c").state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(run.task("c").provider()).isEqualTo("steady");
      assertThat(claudeTwo.callCount()).isZero();
    }
  }

  @Test
  void aRateLimitHoldsForBothEnginesTogether() {
    FakeProvider claudeOne = FakeProvider.echo("claude");
    FakeProvider claudeTwo = FakeProvider.echo("claude");
    try (JdbcStore first = JdbcStore.embedded(dataDir); JdbcStore second = JdbcStore.embedded(dataDir);
        Orchestrator one = engine(first, claudeOne, RateLimit.requestsPerMinute(3));
        Orchestrator two = engine(second, claudeTwo, RateLimit.requestsPerMinute(3))) {
      Workflow.Builder w = Workflow.builder("w");
      for (int i = 0; i < 4; i++) {
        w.task("t" + i, t -> t.instructions("x"));
      }
      Run a = one.submit("blog", w.build());
      Run b = two.submit("blog", w.build());
      assertThat(claudeOne.callCount() + claudeTwo.callCount()).as("3 a minute, for both").isEqualTo(3);

      scheduler.advance(Duration.ofMinutes(1));
      assertThat(claudeOne.callCount() + claudeTwo.callCount()).isEqualTo(6);
      scheduler.advance(Duration.ofMinutes(2));
      assertThat(a.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(b.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(claudeOne.callCount() + claudeTwo.callCount()).isEqualTo(8);
    }
  }
}
