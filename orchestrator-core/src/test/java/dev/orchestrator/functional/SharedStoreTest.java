package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.TaskPausedEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.RecordingListener;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two engines share one store, each on its own timer over one clock, as two processes would: whichever engine
 * executes a run, the other sees it and steers it through the store, and takes it over when the first stops renewing
 * its lease. "Killing" an engine is simply never running its timer again.
 */
@Timeout(60)
class SharedStoreTest {
  private final MutableClock clock = MutableClock.create();
  private final InMemoryStore store = InMemoryStore.create(clock);
  private final ManualScheduler timerA = new ManualScheduler(clock);
  private final ManualScheduler timerB = new ManualScheduler(clock);
  private final RecordingListener eventsA = new RecordingListener();

  private Orchestrator.Builder engine(String name, ManualScheduler timer) {
    return Orchestrator.builder().clock(clock).scheduler(timer).executor(Runnable::run).store(store)
        .engineName(name).lease(Duration.ofSeconds(30));
  }

  private FakeProvider slow(ManualScheduler timer) {
    return FakeProvider.builder("p").scheduler(timer).latency(Duration.ofSeconds(5))
        .costPerCall(Money.usd("0.10")).estimate(CostEstimate.of(TokenUsage.of(1, 1), Money.usd("0.10"),
            Money.usd("0.10"), Money.usd("0.10"), Duration.ofSeconds(5))).build();
  }

  private static Workflow chain(int length) {
    // Each step's prompt is its instructions alone, so the calls read as the steps they are.
    Workflow.Builder b = Workflow.builder("chain").context(dev.orchestrator.workflow.UpstreamContext.none());
    for (int i = 0; i < length; i++) {
      String id = "t" + i;
      String prev = "t" + (i - 1);
      b.task(id, t -> {
        t.instructions("step " + id);
        if (!id.equals("t0")) {
          t.dependsOn(prev);
        }
      });
    }
    return b.build();
  }

  @Test
  void aRunOfOneEngineIsCancelledFromAnother() {
    try (Orchestrator a = engine("a", timerA).provider(slow(timerA)).build();
        Orchestrator b = engine("b", timerB).provider(slow(timerB)).claimRuns(false).build()) {
      Run run = a.submit("demo", chain(3));
      Run seen = b.run("demo", run.id()).orElseThrow();
      assertThat(seen.task("t0").state()).isEqualTo(TaskState.RUNNING);

      seen.cancel("bob", "wrong topic");
      assertThat(run.completion()).isNotDone(); // a command waits for the engine that executes the run
      timerA.advance(Duration.ofSeconds(1));

      assertThat(run.completion().join().status()).isEqualTo(RunStatus.CANCELLED);
      timerB.advance(Duration.ofSeconds(1));
      assertThat(seen.completion().join().status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(store.lease("demo", run.id())).isEmpty();
    }
  }

  @Test
  void aSubscriberInAnotherEngineGetsTheRunsEventsSoFarAndThenEachNewOneOnce() {
    try (Orchestrator a = engine("a", timerA).provider(slow(timerA)).build();
        Orchestrator b = engine("b", timerB).provider(slow(timerB)).claimRuns(false).build()) {
      Run run = a.submit("demo", chain(2));
      RecordingListener seen = new RecordingListener();
      try (Run.Subscription sub = b.run("demo", run.id()).orElseThrow().subscribe(seen)) {
        assertThat(seen.states("t0")).containsExactly(TaskState.READY, TaskState.RUNNING);
        timerA.advance(Duration.ofSeconds(10));
        assertThat(run.completion()).isDone();
        timerB.advance(Duration.ofMillis(200));
        assertThat(seen.states("t0")).containsExactly(TaskState.READY, TaskState.RUNNING, TaskState.SUCCEEDED);
        assertThat(seen.states("t1")).containsExactly(TaskState.READY, TaskState.RUNNING, TaskState.SUCCEEDED);
        assertThat(seen.events(dev.orchestrator.event.RunFinishedEvent.class)).hasSize(1);
      }
    }
  }

  @Test
  void aPriorityChangedFromAnotherEngineReordersTheHoldersQueue() {
    FakeProvider pa = FakeProvider.builder("p").scheduler(timerA).latency(Duration.ofSeconds(5)).build();
    try (Orchestrator a = engine("a", timerA).provider(pa, 1).build();
        Orchestrator b = engine("b", timerB).provider(FakeProvider.echo("p")).claimRuns(false).build()) {
      Run run = a.submit("demo", Workflow.builder("w").task("first", t -> t.instructions("first"))
          .task("second", t -> t.instructions("second")).task("third", t -> t.instructions("third")).build());
      b.run("demo", run.id()).orElseThrow().changePriority("third", dev.orchestrator.Priority.HIGH);
      timerA.advance(Duration.ofSeconds(1)); // the command reaches a while "first" holds its only slot
      assertThat(run.task("third").lane()).isEqualTo(dev.orchestrator.Priority.HIGH);
      timerA.advance(Duration.ofSeconds(20));
      assertThat(pa.requests()).extracting(r -> r.prompt()).containsExactly("first", "third", "second");
    }
  }

  @Test
  void aQueuedRunCarriesItsContextsAndReviewsToTheEngineThatClaimsIt() {
    FakeProvider author = FakeProvider.builder("p").otherwise(r -> FakeProvider.Reply.text(
        "out " + r.prompt().lines().findFirst().orElse(""))).build();
    FakeProvider reviewer = FakeProvider.builder("q").otherwise(r -> FakeProvider.Reply.text(
        "{\"approved\": true, \"score\": 8, \"feedback\": \"fine\"}")).build();
    Workflow w = Workflow.builder("w").context(dev.orchestrator.workflow.UpstreamContext.none())
        .defaultValue("tone", "warm")
        .task("a", t -> t.instructions("A").provider("p"))
        .task("b", t -> t.instructions("B").dependsOn("a").provider("p")
            .context(dev.orchestrator.workflow.UpstreamContext.parents(50))
            .review(dev.orchestrator.workflow.Review.by("q", "Is it {{tone}}?")))
        .task("c", t -> t.instructions("C").dependsOn("b").provider("p"))
        .build();
    try (Orchestrator client = engine("client", timerA).provider(FakeProvider.echo("p")).provider(FakeProvider.echo("q"))
        .claimRuns(false).build();
        Orchestrator worker = engine("worker", timerB).provider(author).provider(reviewer).build()) {
      Run queued = client.enqueue("demo", w, java.util.Map.of());
      timerB.advance(Duration.ofSeconds(1)); // the worker claims it, from the stored definition
      timerB.advance(Duration.ofSeconds(10));
      timerA.advance(Duration.ZERO);
      assertThat(queued.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
    assertThat(author.requests()).extracting(r -> r.prompt()).containsExactly("A",
        "B\n\nThe tasks this one depends on produced the following.\n\n=== Task a ===\nout A\n=== End of task a ===",
        "C");
    assertThat(reviewer.requests()).singleElement().satisfies(r -> assertThat(r.prompt()).contains("Is it warm?"));
  }

  @Test
  void aRunQueuedByAClientIsExecutedByAnEngineThatClaimsRuns() {
    FakeProvider pb = slow(timerB);
    try (Orchestrator client = engine("client", timerA).provider(slow(timerA)).claimRuns(false).build();
        Orchestrator worker = engine("worker", timerB).provider(pb).build()) {
      Run queued = client.enqueue("demo", chain(2), java.util.Map.of());
      assertThat(store.lease("demo", queued.id())).isEmpty();
      timerB.advance(Duration.ofSeconds(1)); // the worker claims it
      assertThat(store.lease("demo", queued.id())).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo("worker"));
      timerB.advance(Duration.ofSeconds(10));
      assertThat(pb.requests()).extracting(r -> r.prompt()).containsExactly("step t0", "step t1");
      timerA.advance(Duration.ZERO);
      assertThat(queued.completion()).isCompleted();
      assertThat(queued.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void anEngineBuiltAfterARunWasQueuedTakesItOverAtOnce() {
    FakeProvider pb = slow(timerB);
    Run queued;
    try (Orchestrator client = engine("client", timerA).provider(slow(timerA)).claimRuns(false).build()) {
      queued = client.enqueue("demo", chain(2), java.util.Map.of());
    }
    try (Orchestrator worker = engine("worker", timerB).provider(pb).build()) {
      assertThat(store.lease("demo", queued.id())).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo("worker"));
      timerB.advance(Duration.ofSeconds(11));
      assertThat(pb.requests()).extracting(r -> r.prompt()).containsExactly("step t0", "step t1");
      assertThat(worker.run("demo", queued.id()).orElseThrow().completion()).isCompleted();
    }
  }

  @Test
  void aQuestionAskedInOneEngineIsAnsweredFromAnother() {
    FakeProvider p = FakeProvider.echo("p");
    try (Orchestrator a = engine("a", timerA).provider(p).build();
        Orchestrator b = engine("b", timerB).provider(FakeProvider.echo("p")).claimRuns(false).build()) {
      Run run = a.submit("demo", Workflow.builder("w")
          .task("tone", t -> t.instructions("Write in a {{input}} tone").question("Which tone?")).build());
      List<Question> open = b.questions("demo");
      assertThat(open).singleElement().extracting(Question::text).isEqualTo("Which tone?");

      b.answer(open.get(0).id(), "playful");
      timerA.advance(Duration.ofSeconds(1));

      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(p.requests()).singleElement().extracting(r -> r.prompt()).isEqualTo("Write in a playful tone");
      assertThat(b.questions("demo")).isEmpty();
    }
  }

  @Test
  void aPauseStoredByOneEngineHoldsTheOthersNextTaskUntilResumed() {
    try (Orchestrator a = engine("a", timerA).provider(slow(timerA)).listener(eventsA).build();
        Orchestrator b = engine("b", timerB).provider(slow(timerB)).claimRuns(false).build()) {
      Run run = a.submit("demo", chain(2));
      b.pauseProject("demo", "reviewing the budget");
      timerA.advance(Duration.ofSeconds(1)); // the pause reaches a while t0 runs
      timerA.advance(Duration.ofSeconds(4)); // t0's call ends at 5 s

      assertThat(run.task("t0").state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(run.task("t1").state()).isEqualTo(TaskState.PAUSED);
      assertThat(eventsA.events(TaskPausedEvent.class)).last().extracting(TaskPausedEvent::reason)
          .isEqualTo("project demo is paused: reviewing the budget");

      b.resumeProject("demo");
      timerA.advance(Duration.ofSeconds(1)); // the resume reaches a
      assertThat(run.task("t1").state()).isEqualTo(TaskState.RUNNING);
      timerA.advance(Duration.ofSeconds(5));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void aStoppedEnginesRunIsTakenOverOnceItsLeaseExpiresAndNoTaskSucceedsTwice() {
    FakeProvider pa = slow(timerA);
    FakeProvider pb = slow(timerB);
    Orchestrator a = engine("a", timerA).provider(pa).build();
    try (Orchestrator b = engine("b", timerB).provider(pb).build()) {
      Run run = a.submit("demo", chain(3));
      timerA.advance(Duration.ofSeconds(7)); // t0 done at 5 s, t1 in flight: then engine a stops for good
      assertThat(run.task("t1").state()).isEqualTo(TaskState.RUNNING);

      timerB.advance(Duration.ofSeconds(22)); // 29 s in: a's lease, taken at 0 s for 30 s, still holds
      assertThat(store.lease("demo", run.id())).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo("a"));
      timerB.advance(Duration.ofSeconds(2)); // 31 s in: it has expired, and b takes the run over
      assertThat(store.lease("demo", run.id())).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo("b"));
      timerB.advance(Duration.ofSeconds(11));

      Run seen = b.run("demo", run.id()).orElseThrow();
      assertThat(seen.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      List<TaskRecord> tasks = store.tasks("demo", run.id());
      assertThat(tasks).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED));
      assertThat(tasks.get(0).attempts()).hasSize(1);
      assertThat(tasks.get(1).attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
      assertThat(tasks.get(1).attempts().get(0).message()).startsWith("interrupted");
      assertThat(pa.requests()).extracting(r -> r.prompt()).containsExactly("step t0", "step t1");
      assertThat(pb.requests()).extracting(r -> r.prompt()).containsExactly("step t1", "step t2");
      // A's reservation for its interrupted call was released when b took the run over.
      assertThat(store.ledger().balance(new Account(BudgetScope.global(), null)).reserved()).isZero();
    } finally {
      a.close();
    }
  }

  @Test
  void aLimitRaisedByAnotherEngineResumesTheTaskItHeldBack() {
    try (Orchestrator a = engine("a", timerA).provider(slow(timerA)).listener(eventsA).build();
        Orchestrator b = engine("b", timerB).provider(slow(timerB)).claimRuns(false).build()) {
      a.setBudget(Budget.of(BudgetScope.project("demo"), Money.usd("0.15")));
      Run run = a.submit("demo", chain(2));
      timerA.advance(Duration.ofSeconds(5));
      assertThat(run.task("t1").state()).isEqualTo(TaskState.PAUSED);

      b.setBudget(Budget.of(BudgetScope.project("demo"), Money.usd("1.00")));
      timerA.advance(Duration.ofSeconds(1));
      assertThat(run.task("t1").state()).isEqualTo(TaskState.RUNNING);
      timerA.advance(Duration.ofSeconds(5));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }

  @Test
  void twoEnginesUnderOneLimitNeverSpendMoreThanIt() {
    try (Orchestrator a = engine("a", timerA).provider(slow(timerA)).build();
        Orchestrator b = engine("b", timerB).provider(slow(timerB)).build()) {
      a.setBudget(Budget.of(BudgetScope.project("demo"), Money.usd("0.55")));
      for (int i = 0; i < 4; i++) {
        a.submit("demo", chain(2));
        b.submit("demo", chain(2));
      }
      for (int s = 0; s < 60; s++) {
        timerA.advance(Duration.ofSeconds(1));
        timerB.advance(Duration.ZERO);
      }
      BigDecimal spent = store.ledger().balance(new Account(BudgetScope.project("demo"), null)).spent();
      assertThat(spent).isEqualByComparingTo("0.50");
      assertThat(store.ledger().balance(new Account(BudgetScope.project("demo"), null)).reserved()).isZero();
    }
  }

  @Test
  void aTaskOfARunFinishedInAnotherEngineIsResumedHere() {
    FakeProvider failing = FakeProvider.builder("p").script(FakeProvider.Reply.failure(ErrorKind.AUTH)).build();
    FakeProvider pb = FakeProvider.echo("p");
    try (Orchestrator a = engine("a", timerA).provider(failing).build();
        Orchestrator b = engine("b", timerB).provider(pb).claimRuns(false).build()) {
      Run run = a.submit("demo", chain(2));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);

      Run seen = b.run("demo", run.id()).orElseThrow();
      seen.resume("t0");

      assertThat(seen.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(pb.requests()).extracting(r -> r.prompt()).containsExactly("step t0", "step t1");
      assertThat(store.run("demo", run.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
  }
}
