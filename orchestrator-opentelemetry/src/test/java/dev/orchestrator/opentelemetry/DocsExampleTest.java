package dev.orchestrator.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example of docs/tracing.md runs and makes the trace the page draws, so the page cannot rot. */
class DocsExampleTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  @Test
  void theExampleMakesTheTraceThePageDraws() throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    List<SpanData> spans;
    FakeProvider claude = FakeProvider.builder("claude").scheduler(scheduler).latency(Duration.ofSeconds(1)).build();
    try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build()) {
      // From here, as on the page (the clock, scheduler and executor make it deterministic).
      ProviderCallTracing calls = ProviderCallTracing.create();
      try (Orchestrator orchestrator = Orchestrator.builder().clock(clock).scheduler(scheduler)
               .executor(Runnable::run).provider(calls.wrap(claude)).build();
           OrchestratorTracing tracing = OrchestratorTracing.builder(orchestrator, otel)
               .system("claude", "anthropic")
               .model("claude", "claude-sonnet-4-5")
               .providerCalls(calls)
               .build()) {
        var run = orchestrator.submit("demo", Workflow.builder("blog")
            .task("draft", t -> t.instructions("Draft a post about tides").provider("claude"))
            .task("edit", t -> t.instructions("Tighten the draft").provider("claude").dependsOn("draft"))
            .build());
        scheduler.advance(Duration.ofMinutes(1));
        run.completion().join();
      }
      spans = exporter.getFinishedSpanItems(); // before the SDK's close clears the exporter
    }

    assertThat(tree(spans)).isEqualTo(documentedTree());
  }

  /** The spans as the page draws them: children under their parent, two spaces deeper, in start order. */
  private static String tree(List<SpanData> spans) {
    StringBuilder out = new StringBuilder();
    spans.stream().filter(s -> !s.getParentSpanContext().isValid())
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).forEach(s -> draw(s, spans, "", out));
    return out.toString().strip();
  }

  private static void draw(SpanData span, List<SpanData> all, String indent, StringBuilder out) {
    out.append(indent).append(span.getName()).append('\n');
    all.stream().filter(c -> c.getParentSpanId().equals(span.getSpanId()))
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
        .forEach(c -> draw(c, all, indent + "  ", out));
  }

  private static String documentedTree() throws Exception {
    String text = Files.readString(Path.of("..", "docs", "tracing.md"));
    int start = text.indexOf("```", text.indexOf("That run makes this trace")) + "```".length();
    return text.substring(start, text.indexOf("```", start)).strip();
  }
}
