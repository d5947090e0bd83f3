package dev.orchestrator.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.micrometer.OrchestratorMetrics.EventSource;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** A metrics endpoint in one process counts what every process sharing the store does. */
class StoreEventsTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryStore store = InMemoryStore.create(clock);

  private FakeProvider claude() {
    return FakeProvider.builder("claude").costPerCall(Money.usd("0.10"))
        .otherwise(r -> Reply.text("ok", TokenUsage.of(10, 5))).build();
  }

  private Orchestrator.Builder engine() {
    return Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run).store(store)
        .provider(claude());
  }

  @Test
  void followsTheStoresEventStreamOfAnotherProcess() throws InterruptedException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Orchestrator endpoint = engine().build();
        OrchestratorMetrics metrics = OrchestratorMetrics.builder(endpoint).events(EventSource.STORE).build();
        Orchestrator worker = engine().engineName("worker").build()) {
      metrics.bindTo(registry);
      assertThat(worker.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")).build())
          .completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);

      awaitUntil(() -> registry.find("orchestrator.cost").counter() != null, Duration.ofSeconds(10));
      Counter cost = registry.get("orchestrator.cost").tags("provider", "claude", "project", "demo").counter();
      assertThat(cost.count()).isEqualTo(0.10);
      assertThat(registry.get("orchestrator.attempts").tag("outcome", "success").counter().count()).isEqualTo(1);
    }
  }

  private static void awaitUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    Object lock = new Object();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      synchronized (lock) {
        lock.wait(20);
      }
    }
  }
}
