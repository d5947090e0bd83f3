package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.Plan;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.ProviderChosenEvent;
import dev.orchestrator.event.ProviderDemotedEvent;
import dev.orchestrator.learn.Assignment;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code "assigned_to": "auto"}, a strategy per project, the remaining budget in assignments, demotions announced and
 * the dry run's provider choice.
 */
class LearningAutoTest {
  private final Harness h = new Harness();
  private final FakeProvider claude = FakeProvider.builder("claude").costPerCall(Money.usd("0.01")).build();
  private final FakeProvider chatgpt = FakeProvider.builder("chatgpt").costPerCall(Money.usd("0.01")).build();
  private final FakeProvider gemini = FakeProvider.builder("gemini").costPerCall(Money.usd("0.01")).build();
  private final List<Assignment> seen = new ArrayList<>();

  private LearningStrategy lastFirst() {
    return a -> {
      seen.add(a);
      List<String> reversed = new ArrayList<>(a.candidates());
      java.util.Collections.reverse(reversed);
      return Choice.of(reversed, "the last candidate first");
    };
  }

  private Orchestrator.Builder three() {
    return h.builder().provider(claude, 2).provider(chatgpt, 2).provider(gemini, 2).defaultProvider("chatgpt");
  }

  private static Workflow auto(String id, String... among) {
    return Workflow.builder(id).task(id, t -> {
      t.instructions("write " + id).taskType("code_generation");
      if (among.length > 0) {
        t.providers(among);
      }
      t.autoProvider();
    }).build();
  }

  @Test
  void anAutoTaskOffersEveryInstanceWithTheDefaultFirst() {
    try (Orchestrator o = three().learningStrategy("last", lastFirst()).build()) {
      Run r = o.submit("p", auto("t1"));
      h.scheduler.runUntilIdle(Duration.ofHours(1));
      assertThat(r.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
    assertThat(seen.get(0).candidates()).containsExactly("chatgpt", "claude", "gemini");
    assertThat(gemini.callCount()).isEqualTo(1);
    assertThat(h.events.events(ProviderChosenEvent.class).get(0).provider()).isEqualTo("gemini");
  }

  @Test
  void anAutoTaskWithCandidatesChoosesAmongThoseOnly() {
    try (Orchestrator o = three().learningStrategy("last", lastFirst()).build()) {
      o.submit("p", auto("t1", "claude", "gemini"));
      h.scheduler.runUntilIdle(Duration.ofHours(1));
    }
    assertThat(seen.get(0).candidates()).containsExactly("claude", "gemini");
  }

  @Test
  void withoutAStrategyAnAutoTaskRunsOnTheDefaultAndTheDryRunSaysSo() {
    try (Orchestrator o = three().build()) {
      Plan plan = o.plan("p", auto("t1"), Map.of());
      Plan.Step step = plan.waves().get(0).get(0);
      assertThat(step.provider()).isEqualTo("chatgpt");
      assertThat(step.choice()).isEqualTo("no learning strategy: runs as assigned on chatgpt, failover claude, gemini");
      assertThat(plan.toText()).contains("Provider choices:", "t1: no learning strategy");
      Run r = o.submit("p", auto("t1"));
      h.scheduler.runUntilIdle(Duration.ofHours(1));
      assertThat(r.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
    assertThat(chatgpt.callCount()).isEqualTo(1);
    assertThat(h.events.events(ProviderChosenEvent.class)).isEmpty();
  }

  @Test
  void theDryRunSaysWhatTheStrategyWouldPickAndRecordsNothing() {
    try (Orchestrator o = three().learningStrategy("last", lastFirst()).build()) {
      Plan.Step step = o.plan("p", auto("t1"), Map.of()).waves().get(0).get(0);
      assertThat(step.provider()).isEqualTo("gemini");
      assertThat(step.choice()).isEqualTo("last would pick gemini: the last candidate first");
    }
    try (Orchestrator o = three().learningStrategy("adaptive", dev.orchestrator.core.learn.Strategies.adaptive(1))
        .build()) {
      // A built-in's reason starts with its name: the preview says it once.
      assertThat(o.plan("p", auto("t1"), Map.of()).waves().get(0).get(0).choice())
          .startsWith("adaptive would pick chatgpt: measuring chatgpt on ");
    }
    assertThat(h.events.events(ProviderChosenEvent.class)).isEmpty();
  }

  @Test
  void anInstanceNamedAutoIsRefused() {
    FakeProvider named = FakeProvider.builder("Auto").build();
    assertThatThrownBy(() -> h.builder().provider(named, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'auto' is reserved").hasMessageContaining("another name");
  }

  @Test
  void aProjectsOwnStrategyWinsAndOtherProjectsRunAsAssigned() {
    try (Orchestrator o = three().learningStrategy("marketing", "last", lastFirst()).build()) {
      o.submit("marketing", auto("t1", "claude", "gemini"));
      o.submit("ops", auto("t2", "claude", "gemini"));
      h.scheduler.runUntilIdle(Duration.ofHours(1));
    }
    assertThat(h.events.events(ProviderChosenEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.project()).isEqualTo("marketing"));
    assertThat(gemini.callCount()).isEqualTo(1);
    assertThat(claude.callCount()).isEqualTo(1);
  }

  @Test
  void theStrategySeesTheTightestRemainingBudget() {
    try (Orchestrator o = three().learningStrategy("last", lastFirst())
        .budget(Budget.of(BudgetScope.global(), Money.usd("10.00")))
        .budget(Budget.of(BudgetScope.project("p"), Money.usd("1.00"))).build()) {
      o.submit("p", auto("t1"));
      h.scheduler.runUntilIdle(Duration.ofHours(1));
      o.submit("p", auto("t2"));
      h.scheduler.runUntilIdle(Duration.ofHours(1));
    }
    assertThat(seen.get(0).remainingBudget()).isEqualTo(Money.usd("1.00"));
    assertThat(seen.get(1).remainingBudget().amount()).isEqualByComparingTo("0.99");
  }

  @Test
  void withoutALimitTheRemainingBudgetIsNull() {
    try (Orchestrator o = three().learningStrategy("last", lastFirst()).build()) {
      o.submit("p", auto("t1"));
      h.scheduler.runUntilIdle(Duration.ofHours(1));
    }
    assertThat(seen.get(0).remainingBudget()).isNull();
  }

  /** Claude fails every call; each code task then fails over to chatgpt, in the workflow's order. */
  private Orchestrator failingClaude() {
    claude.failNext(1000, ErrorKind.SERVER);
    LearningStrategy inOrder = a -> Choice.of(a.candidates(), "in order");
    return h.builder().provider(claude, 2).provider(chatgpt, 2)
        .retryPolicy(RetryPolicy.builder().maxAttempts(2).failoverAfter(1).build())
        .circuitBreaker(dev.orchestrator.policy.CircuitBreakerPolicy.builder().failureThreshold(1000).build())
        .learningStrategy("in-order", inOrder).build();
  }

  private void runCodeTask(Orchestrator o, int i) {
    o.submit("p", Workflow.builder("w" + i).task("t" + i, t -> t.instructions("code").taskType("code_generation")
        .providers("claude", "chatgpt")).build());
    h.scheduler.runUntilIdle(Duration.ofMinutes(2)); // well within the demotion's hour
  }

  @Test
  void aDemotionIsAnnouncedOnceWithItsEvidence() {
    try (Orchestrator o = failingClaude()) {
      for (int i = 0; i < 14; i++) {
        runCodeTask(o, i);
      }
    }
    assertThat(h.events.events(ProviderDemotedEvent.class)).singleElement().satisfies(d -> {
      assertThat(d.project()).isEqualTo("p");
      assertThat(d.provider()).isEqualTo("claude");
      assertThat(d.taskType()).isEqualTo("code_generation");
      assertThat(d.evidence()).startsWith("claude failed 10 of its last 10 code_generation attempts");
    });
  }

  @Test
  void aDemotionIsAnnouncedAsSoonAsTheFailureThatBringsItIsRecorded() {
    try (Orchestrator o = failingClaude()) {
      for (int i = 0; i < 10; i++) {
        runCodeTask(o, i);
        assertThat(h.events.events(ProviderDemotedEvent.class)).as("after failure %d", i + 1).hasSize(i < 9 ? 0 : 1);
      }
    }
    // Announced with the tenth failure, not at the project's next decision (there was none).
    assertThat(h.events.events(ProviderChosenEvent.class)).hasSize(10);
  }

  @Test
  void anEventTheStoreCannotGiveBackNeverStopsTheWork() {
    java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
    dev.orchestrator.spi.store.Store delegate = dev.orchestrator.core.InMemoryStore.create();
    dev.orchestrator.spi.store.Store store = (dev.orchestrator.spi.store.Store) java.lang.reflect.Proxy
        .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {dev.orchestrator.spi.store.Store.class},
            (proxy, method, args) -> {
              if (broken.get() && method.getName().equals("eventsAfter")) {
                throw new dev.orchestrator.OrchestratorException("stored ShadowComparedEvent is not readable JSON");
              }
              try {
                return method.invoke(delegate, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
    try (Orchestrator o = three().store(store).learningStrategy("last", lastFirst()).build()) {
      o.submit("p", auto("t1"));
      h.scheduler.runUntilIdle(Duration.ofMinutes(1));
      broken.set(true);
      dev.orchestrator.run.Run run = o.submit("p", auto("t2"));
      h.scheduler.runUntilIdle(Duration.ofMinutes(1));
      assertThat(run.completion()).as("the strategy decided on the figures read so far").isDone();
      assertThat(run.task("t2").state()).isEqualTo(dev.orchestrator.run.TaskState.SUCCEEDED);
    }
    assertThat(seen).hasSize(2);
  }

  @Test
  void aRecoveredTaskKeepsTheChosenOrder() {
    dev.orchestrator.spi.store.Store store = RecoveryTest.durable(dev.orchestrator.core.InMemoryStore.create());
    FakeProvider hanging = FakeProvider.builder("gemini")
        .script(dev.orchestrator.testkit.FakeProvider.Reply.hang()).build();
    String runId;
    try (Orchestrator o = h.builder().provider(claude, 2).provider(chatgpt, 2).provider(hanging, 2).store(store)
        .learningStrategy("last", lastFirst()).build()) {
      runId = o.submit("p", auto("t1", "claude", "chatgpt", "gemini")).id();
      h.scheduler.runUntilIdle(Duration.ofMinutes(1));
    } // the process "dies" with t1 in flight on gemini, the strategy's pick

    FakeProvider claude2 = FakeProvider.echo("claude");
    FakeProvider gemini2 = FakeProvider.echo("gemini");
    try (Orchestrator o = h.builder().provider(claude2, 2).provider(FakeProvider.echo("chatgpt"), 2)
        .provider(gemini2, 2).store(store).build()) {
      h.scheduler.runUntilIdle(Duration.ofMinutes(5));
      assertThat(o.run("p", runId).orElseThrow().task("t1").state()).isEqualTo(dev.orchestrator.run.TaskState.SUCCEEDED);
    }
    assertThat(gemini2.callCount()).isEqualTo(1);
    assertThat(claude2.callCount()).isZero();
    assertThat(h.events.events(ProviderChosenEvent.class)).hasSize(1);
  }
}
