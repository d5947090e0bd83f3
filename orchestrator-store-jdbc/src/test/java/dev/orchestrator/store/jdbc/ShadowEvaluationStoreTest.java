package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.learn.OutcomeProjection;
import dev.orchestrator.core.learn.ShadowPolicy;
import dev.orchestrator.core.learn.Strategies;
import dev.orchestrator.event.ShadowComparedEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.store.StoredEvent;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shadow evaluation on a durable store: the comparison is a run of its own, started once the compared task's success
 * is committed, so the task succeeds once and is paid for once; the verdicts are in the store's event stream, from
 * which a fresh projection (another process, a restart) promotes the same challenger. Run on the embedded store and on
 * PostgreSQL.
 */
abstract class ShadowEvaluationStoreTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-05T09:00:00Z"), ZoneOffset.UTC);
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  /** A new, empty store. */
  abstract JdbcStore store();

  private static Workflow oneTask(String id) {
    return Workflow.builder(id).task(id, t -> t.instructions("write " + id).taskType("summarization")
        .providers("claude", "gemini")).build();
  }

  /** Estimates a call at exactly what it costs, as a provider with a price table does. */
  private static dev.orchestrator.spi.provider.CostEstimate costs(String amount) {
    Money m = Money.usd(amount);
    return dev.orchestrator.spi.provider.CostEstimate.of(dev.orchestrator.TokenUsage.NONE, m, m, m, Duration.ZERO);
  }

  /** A judge that prefers the answer saying "cheap", wherever the comparison put it. */
  private static FakeProvider judge() {
    return FakeProvider.builder("judge").otherwise(r -> {
      String p = r.prompt();
      boolean aCheap = p.substring(p.indexOf("Answer A:"), p.indexOf("Answer B:")).contains("cheap");
      return FakeProvider.Reply.text("{\"winner\":\"" + (aCheap ? "a" : "b") + "\",\"reason\":\"clearer\"}");
    }).build();
  }

  @Test
  void theTaskSucceedsOnceAndTheComparisonIsARunOfItsOwn() {
    FakeProvider claude = FakeProvider.builder("claude").costPerCall(Money.usd("0.10")).estimate(costs("0.10"))
        .otherwise(r -> FakeProvider.Reply.text("dear answer")).build();
    FakeProvider gemini = FakeProvider.builder("gemini").costPerCall(Money.usd("0.01")).estimate(costs("0.01"))
        .otherwise(r -> FakeProvider.Reply.text("cheap answer")).build();
    FakeProvider judge = judge();
    try (JdbcStore store = store();
        Orchestrator o = Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run)
            .store(store).provider(claude, 2).provider(gemini, 2).provider(judge, 2)
            .learningStrategy("as-assigned", Strategies.asAssigned())
            .shadowEvaluation(ShadowPolicy.builder().sampleRate(1).seed(7).promoteAfter(2, 3).judge("judge")
                .maxCostPerComparison(Money.usd("0.05")).build())
            .build()) {
      Run first = o.submit("p", oneTask("t1"));
      scheduler.runUntilIdle(Duration.ofMinutes(5));
      Run second = o.submit("p", oneTask("t2"));
      scheduler.runUntilIdle(Duration.ofMinutes(5));

      for (Run r : List.of(first, second)) {
        RunSnapshot done = r.completion().join();
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.tasks().get(0).output()).isEqualTo("dear answer");
        assertThat(done.tasks().get(0).attempts()).as("the task ran once").hasSize(1);
      }
      assertThat(claude.callCount()).as("each task paid for once").isEqualTo(2);
      assertThat(gemini.callCount()).isEqualTo(2);
      assertThat(judge.callCount()).isEqualTo(2);

      List<RunRecord> comparisons = store.runs("p").stream()
          .filter(r -> r.workflow().equals("shadow-comparison")).toList();
      assertThat(comparisons).hasSize(2).allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED));
      assertThat(comparisons).extracting(r -> r.params().get("of_run"))
          .containsExactlyInAnyOrder(first.id(), second.id());
      assertThat(o.costReport("p").spent().amount()).as("2 x (0.10 + 0.01), exactly")
          .isEqualByComparingTo("0.22");

      List<ShadowComparedEvent> verdicts = store.eventsAfter(0, 10_000).stream().map(StoredEvent::event)
          .filter(ShadowComparedEvent.class::isInstance).map(ShadowComparedEvent.class::cast).toList();
      assertThat(verdicts).hasSize(2).allSatisfy(v -> {
        assertThat(v.winner()).isEqualTo("gemini");
        assertThat(v.cost().amount()).isEqualByComparingTo("0.01");
        assertThat(comparisons).extracting(RunRecord::id).contains(v.comparisonRunId());
      });

      OutcomeProjection fresh = OutcomeProjection.builder().build(); // the events carry the engine's 2 of 3
      fresh.catchUp(store);
      assertThat(fresh.project("p").promotion("gemini", "summarization"))
          .as("another process reading the stream promotes the same challenger")
          .hasValueSatisfying(why -> assertThat(why).contains("gemini won 2 of its last 2"));
    }
  }
}
