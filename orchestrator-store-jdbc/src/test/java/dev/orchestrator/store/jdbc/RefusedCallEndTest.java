package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.store.Account;
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
 * An engine whose end of a call the store refuses (another engine took the run over while the call was in flight)
 * keeps nothing of that end, its charge included: the engine holding the run now finds the call in flight and
 * settles it at its reservation, so the call is paid for once.
 */
class RefusedCallEndTest {
  @TempDir
  Path dataDir;

  /** The store, refusing every write of a task that succeeded once {@code refuse} is set, as a lost lease does. */
  private static Store refusingSuccesses(JdbcStore store, AtomicBoolean refuse) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(),
        new Class<?>[] {ClaimStore.class, ScheduleStore.class}, (proxy, method, args) -> {
          if (refuse.get() && method.getName().equals("updateTask") && args.length == 3
              && args[0] instanceof RunLease && args[1] instanceof TaskRecord t && t.state() == TaskState.SUCCEEDED) {
            return false;
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void aRefusedEndChargesNothing() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-01-05T00:00:00Z"), ZoneOffset.UTC);
    ManualScheduler scheduler = new ManualScheduler(clock);
    AtomicBoolean refuse = new AtomicBoolean(true);
    try (JdbcStore store = JdbcStore.embedded(dataDir)) {
      FakeProvider claude = FakeProvider.builder("claude").scheduler(scheduler).latency(Duration.ofSeconds(1))
          .costPerCall(Money.usd("0.01")).estimate(CostEstimate.of(TokenUsage.of(1, 1), Money.usd("0.01"),
              Money.usd("0.01"), Money.usd("0.02"), Duration.ofSeconds(1))).build();
      try (Orchestrator orchestrator = Orchestrator.builder().clock(clock).scheduler(scheduler)
          .executor(Runnable::run).provider(claude).store(refusingSuccesses(store, refuse)).build()) {
        Run run = orchestrator.submit("p", Workflow.builder("w").task("a", t -> t.instructions("A")).build());
        scheduler.advance(Duration.ofSeconds(2));

        assertThat(claude.callCount()).isEqualTo(1);
        TaskRecord a = store.task("p", run.id(), "a").orElseThrow();
        assertThat(a.state()).as("the refused end was not written").isEqualTo(TaskState.RUNNING);
        assertThat(store.ledger().balance(new Account(BudgetScope.run(run.id()), null)).spent())
            .as("nothing of the refused end is kept, its charge included").isEqualByComparingTo("0");
      }
    }
  }
}
