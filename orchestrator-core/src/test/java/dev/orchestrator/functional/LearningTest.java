package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.learn.Strategies;
import dev.orchestrator.event.ProviderChosenEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.learn.Choice;
import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A learning strategy chooses each task's provider when it is first dispatched, and the choice is recorded. */
class LearningTest {
  private final Harness h = new Harness();

  private static Workflow oneTask(String id) {
    return Workflow.builder(id).task(id, t -> t.instructions("write " + id).taskType("code_generation")
        .providers("claude", "chatgpt")).build();
  }

  @Test
  void theStrategysChoiceIsWhereTheTaskRunsAndItsReasonIsRecorded() {
    LearningStrategy last = a -> {
      List<String> reversed = new ArrayList<>(a.candidates());
      java.util.Collections.reverse(reversed);
      return Choice.of(reversed, "the last listed first");
    };
    FakeProvider claude = FakeProvider.builder("claude").build();
    FakeProvider chatgpt = FakeProvider.builder("chatgpt").build();
    try (Orchestrator o = h.builder().provider(claude, 2).provider(chatgpt, 2).learningStrategy("reverse", last)
        .build()) {
      Run r = o.submit("p", oneTask("t1"));
      h.scheduler.runUntilIdle(Duration.ofHours(1));
      assertThat(r.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
    assertThat(chatgpt.callCount()).isEqualTo(1);
    assertThat(claude.callCount()).isZero();
    ProviderChosenEvent chosen = h.events.events(ProviderChosenEvent.class).get(0);
    assertThat(chosen.provider()).isEqualTo("chatgpt");
    assertThat(chosen.failover()).containsExactly("claude");
    assertThat(chosen.taskType()).isEqualTo("code_generation");
    assertThat(chosen.strategy()).isEqualTo("reverse");
    assertThat(chosen.reason()).isEqualTo("the last listed first");
  }

  @Test
  void aChoiceOutsideTheCandidatesIsIgnored() {
    FakeProvider claude = FakeProvider.builder("claude").build();
    FakeProvider chatgpt = FakeProvider.builder("chatgpt").build();
    try (Orchestrator o = h.builder().provider(claude, 2).provider(chatgpt, 2)
        .learningStrategy("rogue", a -> Choice.of(List.of("gemini"), "not a candidate")).build()) {
      Run r = o.submit("p", oneTask("t1"));
      h.scheduler.runUntilIdle(Duration.ofHours(1));
      assertThat(r.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
    assertThat(claude.callCount()).isEqualTo(1);
    assertThat(h.events.events(ProviderChosenEvent.class)).isEmpty();
  }

  @Test
  void bestQualityLearnsFromTheStoredOutcomesOfEarlierRuns() {
    FakeProvider claude = FakeProvider.builder("claude").costPerCall(Money.usd("0.01")).build();
    FakeProvider chatgpt = FakeProvider.builder("chatgpt").costPerCall(Money.usd("0.01")).build();
    claude.failNext(100, ErrorKind.SERVER); // claude fails every call, and each task fails over to chatgpt
    try (Orchestrator o = h.builder().provider(claude, 2).provider(chatgpt, 2)
        .retryPolicy(RetryPolicy.builder().maxAttempts(2).failoverAfter(1).build())
        .learningStrategy("best-quality", Strategies.bestQuality(3)).build()) {
      for (int i = 0; i < 8; i++) {
        o.submit("p", oneTask("t" + i));
        h.scheduler.runUntilIdle(Duration.ofHours(1));
      }
    }
    List<TaskStartedEvent> firstCalls = h.events.events(TaskStartedEvent.class).stream()
        .filter(e -> e.attempt() == 1).toList();
    // Until both have 3 outcomes the workflow's order holds; then chatgpt, with the better record, goes first.
    assertThat(firstCalls).hasSize(8);
    assertThat(firstCalls.subList(0, 3)).allMatch(e -> e.provider().equals("claude"));
    assertThat(firstCalls.subList(3, 8)).allMatch(e -> e.provider().equals("chatgpt"));
    assertThat(claude.callCount()).isEqualTo(3);
    assertThat(h.events.events(ProviderChosenEvent.class).get(7).reason()).startsWith("best-quality: chatgpt");
  }
}
