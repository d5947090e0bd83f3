package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.store.ClaimStore;
import dev.orchestrator.spi.store.RunLease;
import dev.orchestrator.spi.store.ScheduleStore;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call whose end can never be recorded (a write that fails the same way each time) makes the engine reload the run
 * from the store, where the call is still in flight, and make it again. That would pay for the same call forever:
 * after a few interruptions in a row the task fails instead, saying why.
 */
class UnrecordableCallEndTest {
  @TempDir
  Path dataDir;

  /** The store, failing every write of a succeeded task while {@code fail} is set, as a deterministic bug would. */
  private static Store failingSuccesses(JdbcStore store, AtomicBoolean fail) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(),
        new Class<?>[] {ClaimStore.class, ScheduleStore.class}, (proxy, method, args) -> {
          if (fail.get() && method.getName().equals("updateTask") && args.length == 3
              && args[0] instanceof RunLease && args[1] instanceof TaskRecord t && t.state() == TaskState.SUCCEEDED) {
            throw new IllegalStateException("simulated: the success of task " + t.taskId() + " cannot be written");
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void aCallWhoseEndCannotBeRecordedIsNotMadeForever() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-01-05T00:00:00Z"), ZoneOffset.UTC);
    ManualScheduler scheduler = new ManualScheduler(clock);
    AtomicBoolean fail = new AtomicBoolean(true);
    try (JdbcStore store = JdbcStore.embedded(dataDir)) {
      FakeProvider claude = FakeProvider.builder("claude").scheduler(scheduler).latency(Duration.ofSeconds(1))
          .costPerCall(Money.usd("0.01")).estimate(CostEstimate.of(TokenUsage.of(1, 1), Money.usd("0.01"),
              Money.usd("0.01"), Money.usd("0.02"), Duration.ofSeconds(1))).build();
      try (Orchestrator orchestrator = Orchestrator.builder().clock(clock).scheduler(scheduler)
          .executor(Runnable::run).provider(claude).store(failingSuccesses(store, fail)).build()) {
        Run run = orchestrator.submit("p", Workflow.builder("w").task("a", t -> t.instructions("A")).build());
        for (int i = 0; i < 30 && !run.completion().isDone(); i++) {
          scheduler.advance(Duration.ofSeconds(2));
        }

        assertThat(run.completion()).as("the run ends instead of making the call again and again").isDone();
        assertThat(claude.callCount()).isEqualTo(3);
        TaskRecord a = store.task("p", run.id(), "a").orElseThrow();
        assertThat(a.state()).isEqualTo(TaskState.FAILED);
        assertThat(a.errorKind()).isEqualTo(ErrorKind.UNKNOWN);
        assertThat(a.error()).contains("3 times in a row", "never recorded", "a write of its run failed",
            "engine's log", "orchestrator resume a");
        assertThat(a.attempts()).hasSize(3).allSatisfy(at -> {
          assertThat(at.outcome()).isEqualTo(Attempt.Outcome.FAILED);
          assertThat(at.message()).startsWith("interrupted: a write of its run failed");
          assertThat(at.cost()).as("each interrupted call is charged at its reservation")
              .isEqualTo(Money.usd("0.02"));
        });
        assertThat(store.run("p", run.id()).orElseThrow().status()).isEqualTo(RunStatus.FAILED);

        // Resumed by a person with the cause still there: as many interruptions again, then failed again.
        resumeAndFinish(orchestrator, scheduler, run);
        assertThat(claude.callCount()).isEqualTo(6);
        assertThat(store.task("p", run.id(), "a").orElseThrow().state()).isEqualTo(TaskState.FAILED);

        // Once the cause is fixed, the resumed task runs again and its success is recorded.
        fail.set(false);
        resumeAndFinish(orchestrator, scheduler, run);
        assertThat(claude.callCount()).isEqualTo(7);
        assertThat(store.task("p", run.id(), "a").orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
      }
    }
  }

  private static void resumeAndFinish(Orchestrator orchestrator, ManualScheduler scheduler, Run run) {
    run.resume("a");
    Run again = orchestrator.run("p", run.id()).orElseThrow();
    for (int i = 0; i < 30 && !again.completion().isDone(); i++) {
      scheduler.advance(Duration.ofSeconds(2));
    }
    assertThat(again.completion()).isDone();
  }
}
