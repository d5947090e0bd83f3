package dev.orchestrator.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A wrapped provider's call runs inside its attempt span: what an instrumented HTTP client would send. */
class ProviderCallTracingTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();

  @AfterEach
  void closeSdk() {
    otel.close();
  }

  private Orchestrator.Builder engine() {
    return Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run);
  }

  @Test
  void theCallSeesItsAttemptSpanAsCurrentAndItsTraceparentNamesIt() {
    List<Map<String, String>> headers = new ArrayList<>();
    FakeProvider claude = FakeProvider.builder("claude").otherwise(r -> {
      Map<String, String> h = new HashMap<>();
      W3CTraceContextPropagator.getInstance().inject(Context.current(), h, Map::put); // as an HTTP client does
      headers.add(h);
      return Reply.text("ok");
    }).build();
    ProviderCallTracing calls = ProviderCallTracing.create();
    try (Orchestrator o = engine().provider(calls.wrap(claude)).build();
        OrchestratorTracing tracing = OrchestratorTracing.builder(o, otel).providerCalls(calls).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")).build());
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    SpanData attempt = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals("chat claude"))
        .findFirst().orElseThrow();
    assertThat(headers).singleElement().satisfies(h -> assertThat(h.get("traceparent"))
        .startsWith("00-" + attempt.getTraceId() + "-" + attempt.getSpanId() + "-"));
    assertThat(attempt.getAttributes().get(stringKey("gen_ai.response.model"))).isEqualTo("claude-model");
    assertThat(Span.current().getSpanContext().isValid()).as("the scope is closed after the call").isFalse();
  }

  @Test
  void theBundledHttpProvidersSendTheAttemptsTraceparent() throws Exception {
    List<String> traceparents = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      traceparents.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
      byte[] body = ("{\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":"
          + "{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      ProviderCallTracing calls = ProviderCallTracing.create();
      // Configured as the command line and the Spring starter do (a PluginConfig), wrapped by the decorator; the
      // engine's real threads, since the provider's HTTP client answers on its own.
      dev.orchestrator.spi.PluginConfig openai = new dev.orchestrator.spi.PluginConfig("openai", "openai",
          Map.of("model", "gpt-4o-mini", "baseUrl", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
              "apiKey", "sk-test"));
      try (Orchestrator o = Orchestrator.builder().provider(openai).decorateProviders(calls::wrap).build();
          OrchestratorTracing tracing = OrchestratorTracing.builder(o, otel).providerCalls(calls).build()) {
        Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")).build());
        assertThat(run.completion().get(30, java.util.concurrent.TimeUnit.SECONDS).status())
            .isEqualTo(RunStatus.SUCCEEDED);
      }
    } finally {
      server.stop(0);
    }
    SpanData attempt = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("chat "))
        .findFirst().orElseThrow();
    assertThat(traceparents).singleElement().satisfies(t -> assertThat(t)
        .startsWith("00-" + attempt.getTraceId() + "-" + attempt.getSpanId() + "-"));
  }

  @Test
  void cancellingTheCallCancelsTheProviders() {
    FakeProvider slow = FakeProvider.builder("slow").otherwise(r -> Reply.hang()).build();
    ProviderCallTracing calls = ProviderCallTracing.create();
    try (Orchestrator o = engine().provider(calls.wrap(slow)).build();
        OrchestratorTracing tracing = OrchestratorTracing.builder(o, otel).providerCalls(calls).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x")).build());
      assertThat(slow.inFlight()).isEqualTo(1);
      run.cancel("ops", "not needed");
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(slow.cancelledCount()).isEqualTo(1);
    }
  }

  @Test
  void aWrappedProviderIsTheSameProviderToTheEngine() {
    FakeProvider claude = FakeProvider.builder("Claude").type("anthropic").build();
    AiProvider wrapped = ProviderCallTracing.create().wrap(claude);
    assertThat(wrapped.name()).isEqualTo("claude");
    assertThat(wrapped.type()).isEqualTo("anthropic");
    wrapped.close();
    assertThat(claude.isClosed()).isTrue();
  }

  @Test
  void oneCallTracingServesOneTracingAtATimeAndNeedsThisProcesssEvents() {
    ProviderCallTracing calls = ProviderCallTracing.create();
    try (Orchestrator o = engine().store(InMemoryStore.create(clock)).provider(calls.wrap(FakeProvider.echo("p")))
        .build()) {
      assertThatThrownBy(() -> OrchestratorTracing.builder(o, otel).providerCalls(calls)
          .events(OrchestratorTracing.EventSource.STORE).build()).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("THIS_PROCESS");
      try (OrchestratorTracing first = OrchestratorTracing.builder(o, otel).providerCalls(calls).build()) {
        assertThatThrownBy(() -> OrchestratorTracing.builder(o, otel).providerCalls(calls).build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("another OrchestratorTracing");
      }
      OrchestratorTracing.builder(o, otel).providerCalls(calls).build().close(); // free again once closed
    }
  }
}
