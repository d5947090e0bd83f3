package dev.orchestrator.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters of a small workflow, run on virtual time, as a SimpleMeterRegistry holds them. */
class OrchestratorMetricsTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Orchestrator.Builder engine() {
    return Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run);
  }

  /** Answers after two seconds of virtual time, 100 tokens in and 20 out, for 25 cents a call. */
  private FakeProvider claude() {
    return FakeProvider.builder("claude").scheduler(scheduler).latency(Duration.ofSeconds(2))
        .costPerCall(Money.usd("0.25")).otherwise(r -> Reply.text("done", TokenUsage.of(100, 20))).build();
  }

  /** Fails every call with a server error after one second. */
  private FakeProvider broken() {
    return FakeProvider.builder("broken").scheduler(scheduler).latency(Duration.ofSeconds(1))
        .otherwise(r -> Reply.failure(ErrorKind.SERVER)).build();
  }

  private static Workflow twoSteps() {
    return Workflow.builder("w").task("draft", t -> t.instructions("draft it").provider("claude"))
        .task("edit", t -> t.instructions("edit it").provider("claude").dependsOn("draft")).build();
  }

  private static Workflow failing() {
    return Workflow.builder("f").task("x", t -> t.instructions("try").provider("broken")
        .retry(RetryPolicy.builder().maxAttempts(2).backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).build()))
        .build();
  }

  @Test
  void countsAttemptsLatencyTokensAndCostOfSucceededCalls() {
    try (Orchestrator o = engine().provider(claude()).build();
        OrchestratorMetrics metrics = OrchestratorMetrics.bindTo(o, registry)) {
      Run run = o.submit("demo", twoSteps());
      scheduler.advance(Duration.ofMinutes(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);

      Tags success = Tags.of("provider", "claude", "outcome", "success");
      assertThat(registry.get("orchestrator.attempts").tags(success).tag("error", "none").counter().count())
          .isEqualTo(2);
      assertThat(registry.get("orchestrator.provider.latency").tags(success).timer().count()).isEqualTo(2);
      assertThat(registry.get("orchestrator.provider.latency").tags(success).timer().totalTime(TimeUnit.SECONDS))
          .isEqualTo(4.0);
      assertThat(registry.get("orchestrator.tokens").tags("provider", "claude", "type", "input").counter().count())
          .isEqualTo(200);
      assertThat(registry.get("orchestrator.tokens").tags("provider", "claude", "type", "output").counter().count())
          .isEqualTo(40);
      assertThat(registry.get("orchestrator.cost").tags("provider", "claude", "project", "demo").counter().count())
          .isCloseTo(0.50, within(1e-9));
      assertThat(registry.get("orchestrator.cost").counter().getId().getBaseUnit()).isEqualTo("usd");
    }
  }

  @Test
  void aFailingProvidersAttemptsAreCountedAsFailuresWithTheirKind() {
    try (Orchestrator o = engine().provider(broken()).build();
        OrchestratorMetrics metrics = OrchestratorMetrics.bindTo(o, registry)) {
      Run run = o.submit("demo", failing());
      scheduler.advance(Duration.ofMinutes(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);

      Tags failure = Tags.of("provider", "broken", "outcome", "failure");
      assertThat(registry.get("orchestrator.attempts").tags(failure).tag("error", "server").counter().count())
          .as("the retried attempt and the last one").isEqualTo(2);
      assertThat(registry.find("orchestrator.attempts").tag("outcome", "success").counter()).isNull();
      assertThat(registry.get("orchestrator.provider.latency").tags(failure).timer().totalTime(TimeUnit.SECONDS))
          .isEqualTo(2.0);
      assertThat(registry.find("orchestrator.cost").counter()).as("no call completed a task").isNull();
    }
  }

  @Test
  void gaugesReadTasksByStateAndQueueDepthFromTheStore() {
    FakeProvider slow = FakeProvider.builder("slow").otherwise(r -> Reply.hang()).build();
    try (Orchestrator o = engine().provider(slow, 1).build();
        OrchestratorMetrics metrics = OrchestratorMetrics.builder(o).snapshotTtl(Duration.ZERO).build()) {
      metrics.bindTo(registry);
      assertThat(registry.get("orchestrator.tasks").tag("state", "running").gauge().value()).isZero();

      o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("1").provider("slow"))
          .task("b", t -> t.instructions("2").provider("slow")).build());

      assertThat(registry.get("orchestrator.tasks").tag("state", "running").gauge().value()).isEqualTo(1);
      assertThat(registry.get("orchestrator.tasks").tag("state", "ready").gauge().value()).isEqualTo(1);
      assertThat(registry.get("orchestrator.queue.depth").tag("lane", "medium").gauge().value()).isEqualTo(1);
      assertThat(registry.get("orchestrator.queue.depth").tag("lane", "high").gauge().value()).isZero();
      assertThat(registry.get("orchestrator.breaker.state").tags("provider", "slow", "state", "closed").gauge()
          .value()).isEqualTo(1);
      assertThat(registry.get("orchestrator.breaker.state").tags("provider", "slow", "state", "open").gauge()
          .value()).isZero();
    }
  }

  @Test
  void theSnapshotIsReadAgainOnlyAfterItsTimeToLive() {
    FakeProvider slow = FakeProvider.builder("slow").otherwise(r -> Reply.hang()).build();
    try (Orchestrator o = engine().provider(slow).build();
        OrchestratorMetrics metrics = OrchestratorMetrics.builder(o).snapshotTtl(Duration.ofSeconds(5)).build()) {
      metrics.bindTo(registry);
      o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("1").provider("slow")).build());
      assertThat(registry.get("orchestrator.tasks").tag("state", "running").gauge().value())
          .as("the figures read when bound still serve").isZero();

      clock.advance(Duration.ofSeconds(5));
      assertThat(registry.get("orchestrator.tasks").tag("state", "running").gauge().value()).isEqualTo(1);
    }
  }

  @Test
  void budgetUtilisationIsSpentOverTheLimitPerAccount() {
    try (Orchestrator o = engine().provider(claude()).budget(Budget.of(BudgetScope.project("demo"), Money.usd("2")))
        .build();
        OrchestratorMetrics metrics = OrchestratorMetrics.builder(o).snapshotTtl(Duration.ZERO).build()) {
      metrics.bindTo(registry);
      assertThat(registry.get("orchestrator.budget.utilisation").tags("scope", "project", "name", "demo").gauge()
          .value()).isZero();

      o.submit("demo", twoSteps());
      scheduler.advance(Duration.ofMinutes(1));
      o.setBudget(Budget.of(BudgetScope.global(), Money.usd("10")));

      assertThat(registry.get("orchestrator.budget.utilisation").tags("scope", "project", "name", "demo").gauge()
          .value()).isCloseTo(0.25, within(1e-9));
      registry.get("orchestrator.tasks").gauges().forEach(g -> g.value()); // a scrape: discovers the new budget
      assertThat(registry.get("orchestrator.budget.utilisation").tags("scope", "global", "name", "all").gauge()
          .value()).isCloseTo(0.05, within(1e-9));
    }
  }

  @Test
  void extraTagsGoOnEveryMeterAndCloseRemovesTheMeters() {
    try (Orchestrator o = engine().provider(claude()).build()) {
      OrchestratorMetrics metrics = OrchestratorMetrics.builder(o).tags(Tags.of(Tag.of("cluster", "eu"))).build();
      metrics.bindTo(registry);
      o.submit("demo", twoSteps());
      scheduler.advance(Duration.ofMinutes(1));
      assertThat(registry.getMeters()).isNotEmpty()
          .allSatisfy(m -> assertThat(m.getId().getTag("cluster")).isEqualTo("eu"));
      assertThat(registry.getMeters()).noneSatisfy(m -> assertThat(m.getId().getTags())
          .extracting(Tag::getValue).contains(o.runs("demo").get(0).id()));

      metrics.close();
      metrics.close();
      assertThat(registry.getMeters()).isEmpty();
      o.submit("demo", twoSteps());
      scheduler.advance(Duration.ofMinutes(1));
      assertThat(registry.getMeters()).as("nothing is counted once closed").isEmpty();
      assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void aNegativeSnapshotTimeIsRefusedByName() {
    try (Orchestrator o = engine().provider(claude()).build()) {
      assertThatThrownBy(() -> OrchestratorMetrics.builder(o).snapshotTtl(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapshotTtl")
          .hasMessageContaining("PT-1S");
    }
  }
}
