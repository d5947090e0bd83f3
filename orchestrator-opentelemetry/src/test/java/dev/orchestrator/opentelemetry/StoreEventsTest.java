package dev.orchestrator.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.opentelemetry.OrchestratorTracing.EventSource;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** One process traces the work another process does on the same store. */
class StoreEventsTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryStore store = InMemoryStore.create(clock);

  private Orchestrator.Builder engine() {
    return Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run).store(store)
        .provider(FakeProvider.builder("claude").otherwise(r -> Reply.text("ok", TokenUsage.of(7, 3))).build());
  }

  @Test
  void followsTheStoresEventStreamOfAnotherProcess() throws InterruptedException {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
        Orchestrator observer = engine().build();
        OrchestratorTracing tracing = OrchestratorTracing.builder(observer, otel).events(EventSource.STORE).build();
        Orchestrator worker = engine().engineName("worker").build()) {
      assertThat(worker.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")).build())
          .completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);

      awaitUntil(() -> exporter.getFinishedSpanItems().size() == 3, Duration.ofSeconds(10));
      List<SpanData> spans = exporter.getFinishedSpanItems();
      assertThat(spans).extracting(SpanData::getName).containsExactlyInAnyOrder("run w", "task a", "chat claude");
      SpanData attempt = spans.stream().filter(s -> s.getName().equals("chat claude")).findFirst().orElseThrow();
      assertThat(attempt.getAttributes().get(longKey("gen_ai.usage.input_tokens"))).isEqualTo(7);
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
