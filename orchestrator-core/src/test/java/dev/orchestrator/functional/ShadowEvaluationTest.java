package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.learn.ShadowPolicy;
import dev.orchestrator.core.learn.Strategies;
import dev.orchestrator.event.ProviderChosenEvent;
import dev.orchestrator.event.ShadowComparedEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shadow evaluation: a cheaper candidate answers beside the incumbent, a judge compares, winners get promoted. */
class ShadowEvaluationTest {
  private final Harness h = new Harness();

  private static Workflow oneTask(String id) {
    return Workflow.builder(id).task(id, t -> t.instructions("write " + id).taskType("summarization")
        .providers("claude", "gemini")).build();
  }

  /** A judge that prefers the answer saying "cheap", wherever the engine put it. */
  private static FakeProvider judge() {
    return FakeProvider.builder("judge").otherwise(r -> {
      String p = r.prompt();
      int a = p.indexOf("Answer A:");
      int b = p.indexOf("Answer B:");
      boolean aCheap = p.substring(a, b).contains("cheap");
      return FakeProvider.Reply.text("{\"winner\":\"" + (aCheap ? "a" : "b") + "\",\"reason\":\"clearer\"}");
    }).build();
  }

  /** Estimates a call at exactly what it costs, as a provider with a price table does. */
  static dev.orchestrator.spi.provider.CostEstimate costs(String amount) {
    Money m = Money.usd(amount);
    return dev.orchestrator.spi.provider.CostEstimate.of(dev.orchestrator.TokenUsage.NONE, m, m, m, Duration.ZERO);
  }

  private static FakeProvider claude() {
    return FakeProvider.builder("claude").costPerCall(Money.usd("0.10")).estimate(costs("0.10"))
        .otherwise(r -> FakeProvider.Reply.text("dear answer")).build();
  }

  private static FakeProvider gemini() {
    return FakeProvider.builder("gemini").costPerCall(Money.usd("0.01")).estimate(costs("0.01"))
        .otherwise(r -> FakeProvider.Reply.text("cheap answer")).build();
  }

  private static ShadowPolicy.Builder policy() {
    return ShadowPolicy.builder().sampleRate(1).seed(7).promoteAfter(2, 3).judge("judge");
  }

  @Test
  void aSampledTaskRunsTheChallengerAndTheJudgeAndKeepsItsOwnOutput() {
    FakeProvider claude = claude();
    FakeProvider gemini = gemini();
    FakeProvider judge = judge();
    RunSnapshot done;
    List<dev.orchestrator.run.RunRecord> runs;
    try (Orchestrator o = h.builder().provider(claude, 2).provider(gemini, 2).provider(judge, 2)
        .learningStrategy("as-assigned", Strategies.asAssigned()).shadowEvaluation(policy().build()).build()) {
      Run r = o.submit("p", oneTask("t1"));
      h.scheduler.runUntilIdle(Duration.ofHours(1));
      done = r.completion().join();
      assertThat(o.costReport("p").spent().amount()).as("the comparison's calls are the project's spending too")
          .isEqualByComparingTo("0.11");
      runs = o.runs("p");
    }
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(done.tasks().get(0).output()).isEqualTo("dear answer");
    assertThat(claude.callCount()).isEqualTo(1);
    assertThat(gemini.callCount()).isEqualTo(1);
    assertThat(gemini.requests().get(0).prompt()).isEqualTo(claude.requests().get(0).prompt());
    assertThat(judge.callCount()).isEqualTo(1);
    assertThat(h.events.events(ShadowComparedEvent.class)).singleElement().satisfies(e -> {
      assertThat(e.incumbent()).isEqualTo("claude");
      assertThat(e.challenger()).isEqualTo("gemini");
      assertThat(e.winner()).isEqualTo("gemini");
      assertThat(e.judge()).isEqualTo("judge");
      assertThat(e.reason()).isEqualTo("clearer");
      assertThat(e.taskType()).isEqualTo("summarization");
      assertThat(e.cost().amount()).isEqualByComparingTo("0.01");
      assertThat(e.runId()).as("the event names the task compared").isEqualTo(done.run().id());
      assertThat(e.taskId()).isEqualTo("t1");
    });
    // The comparison is a run of its own, which anyone can see, cancel or cost, beside the task's run.
    ShadowComparedEvent e = h.events.events(ShadowComparedEvent.class).get(0);
    assertThat(runs).hasSize(2).anySatisfy(run -> {
      assertThat(run.id()).isEqualTo(e.comparisonRunId());
      assertThat(run.workflow()).isEqualTo("shadow-comparison");
      assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.params()).containsEntry("of_run", done.run().id()).containsEntry("of_task", "t1");
    });
  }

  @Test
  void aFailingChallengerNeverTouchesTheTask() {
    FakeProvider claude = claude();
    FakeProvider gemini = FakeProvider.builder("gemini").costPerCall(Money.usd("0.01")).estimate(costs("0.01"))
        .otherwise(r -> FakeProvider.Reply.failure(dev.orchestrator.ErrorKind.AUTH)).build();
    FakeProvider judge = judge();
    RunSnapshot done;
    try (Orchestrator o = h.builder().provider(claude, 2).provider(gemini, 2).provider(judge, 2)
        .learningStrategy("as-assigned", Strategies.asAssigned()).shadowEvaluation(policy().build()).build()) {
      Run r = o.submit("p", oneTask("t1"));
      h.scheduler.runUntilIdle(Duration.ofHours(1));
      done = r.completion().join();
      assertThat(o.runs("p")).filteredOn(run -> run.workflow().equals("shadow-comparison")).singleElement()
          .satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.FAILED));
    }
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(done.tasks().get(0).output()).isEqualTo("dear answer");
    assertThat(gemini.callCount()).isPositive();
    assertThat(judge.callCount()).isZero();
    assertThat(h.events.events(ShadowComparedEvent.class)).isEmpty();
  }

  @Test
  void aChallengerThatWinsNOfMIsChosenFirst() {
    FakeProvider claude = claude();
    FakeProvider gemini = gemini();
    try (Orchestrator o = h.builder().provider(claude, 2).provider(gemini, 2).provider(judge(), 2)
        .learningStrategy("best-quality", Strategies.bestQuality(50)).shadowEvaluation(policy().build()).build()) {
      for (int i = 0; i < 3; i++) {
        o.submit("p", oneTask("t" + i));
        h.scheduler.runUntilIdle(Duration.ofHours(1));
      }
    }
    List<ProviderChosenEvent> chosen = h.events.events(ProviderChosenEvent.class);
    assertThat(chosen).hasSize(3);
    assertThat(chosen.get(0).provider()).isEqualTo("claude"); // measuring: first candidate first
    assertThat(chosen.get(1).provider()).isEqualTo("claude"); // one win of the 2 needed
    assertThat(chosen.get(2).provider()).isEqualTo("gemini");
    assertThat(chosen.get(2).reason()).startsWith("best-quality: gemini is promoted on summarization: gemini won 2 of "
        + "its last 2 shadow comparisons");
  }

  @Test
  void aBudgetTooSmallForTheShadowSkipsItQuietly() {
    FakeProvider claude = claude();
    Money cent = Money.usd("0.01");
    FakeProvider gemini = FakeProvider.builder("gemini").costPerCall(cent).estimate(costs("0.01"))
        .otherwise(r -> FakeProvider.Reply.text("cheap answer")).build();
    RunSnapshot done;
    try (Orchestrator o = h.builder().provider(claude, 2).provider(gemini, 2).provider(judge(), 2)
        .budget(dev.orchestrator.budget.Budget.of(dev.orchestrator.budget.BudgetScope.global(), Money.usd("0.105")))
        .learningStrategy("as-assigned", Strategies.asAssigned()).shadowEvaluation(policy().build()).build()) {
      Run r = o.submit("p", oneTask("t1"));
      h.scheduler.runUntilIdle(Duration.ofHours(1));
      done = r.completion().join();
    }
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(gemini.callCount()).isZero();
    assertThat(h.events.events(ShadowComparedEvent.class)).isEmpty();
  }

  @Test
  void sampleRateZeroNeverShadows() {
    FakeProvider gemini = gemini();
    FakeProvider judge = judge();
    try (Orchestrator o = h.builder().provider(claude(), 2).provider(gemini, 2).provider(judge, 2)
        .learningStrategy("as-assigned", Strategies.asAssigned())
        .shadowEvaluation(policy().sampleRate(0).build()).build()) {
      for (int i = 0; i < 5; i++) {
        o.submit("p", oneTask("t" + i));
        h.scheduler.runUntilIdle(Duration.ofHours(1));
      }
    }
    assertThat(gemini.callCount()).isZero();
    assertThat(judge.callCount()).isZero();
    assertThat(h.events.events(ShadowComparedEvent.class)).isEmpty();
  }
}
