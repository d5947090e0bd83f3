package dev.orchestrator.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spans of small workflows, run on virtual time, as the SDK's in-memory exporter receives them. */
class OrchestratorTracingTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();

  @AfterEach
  void closeSdk() {
    otel.close();
  }

  private Orchestrator.Builder engine() {
    return Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run);
  }

  /** Answers after two seconds of virtual time, 100 tokens in and 20 out, for 25 cents a call. */
  private FakeProvider claude() {
    return FakeProvider.builder("claude").scheduler(scheduler).latency(Duration.ofSeconds(2))
        .costPerCall(Money.usd("0.25")).otherwise(r -> Reply.text("the finished text", TokenUsage.of(100, 20)))
        .build();
  }

  private static Workflow twoSteps() {
    return Workflow.builder("w").task("draft", t -> t.instructions("draft the secret plan").provider("claude"))
        .task("edit", t -> t.instructions("edit it").provider("claude").dependsOn("draft")).build();
  }

  private SpanData span(String name) {
    List<SpanData> named = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as("spans named '%s' among %s", name, names()).hasSize(1);
    return named.get(0);
  }

  private List<String> names() {
    return exporter.getFinishedSpanItems().stream().map(SpanData::getName).toList();
  }

  @Test
  void aRunItsTasksAndTheirAttemptsNestWithGenAiAttributes() {
    try (Orchestrator o = engine().provider(claude()).build();
        OrchestratorTracing tracing = OrchestratorTracing.builder(o, otel).system("Claude", "anthropic")
            .model("claude", "claude-sonnet-4-5").build()) {
      Run run = o.submit("demo", twoSteps());
      scheduler.advance(Duration.ofMinutes(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    assertThat(names()).containsExactlyInAnyOrder("run w", "task draft", "task edit", "chat claude-sonnet-4-5",
        "chat claude-sonnet-4-5");
    SpanData runSpan = span("run w");
    SpanData draft = span("task draft");
    SpanData edit = span("task edit");
    List<SpanData> attempts = exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().startsWith("chat ")).toList();

    assertThat(runSpan.getParentSpanId()).isEqualTo(SpanId.getInvalid());
    assertThat(runSpan.getAttributes().get(stringKey("orchestrator.run.status"))).isEqualTo("succeeded");
    assertThat(runSpan.getAttributes().get(doubleKey("orchestrator.cost.usd"))).isEqualTo(0.50);
    assertThat(List.of(draft, edit)).allSatisfy(t -> {
      assertThat(t.getParentSpanId()).isEqualTo(runSpan.getSpanId());
      assertThat(t.getTraceId()).isEqualTo(runSpan.getTraceId());
      assertThat(t.getAttributes().get(stringKey("orchestrator.task.state"))).isEqualTo("succeeded");
    });
    assertThat(attempts).extracting(SpanData::getParentSpanId)
        .containsExactlyInAnyOrder(draft.getSpanId(), edit.getSpanId());
    assertThat(attempts).allSatisfy(a -> {
      assertThat(a.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(a.getAttributes().get(stringKey("gen_ai.operation.name"))).isEqualTo("chat");
      assertThat(a.getAttributes().get(stringKey("gen_ai.provider.name"))).isEqualTo("anthropic");
      assertThat(a.getAttributes().get(stringKey("gen_ai.system"))).isEqualTo("anthropic");
      assertThat(a.getAttributes().get(stringKey("gen_ai.request.model"))).isEqualTo("claude-sonnet-4-5");
      assertThat(a.getAttributes().get(longKey("gen_ai.usage.input_tokens"))).isEqualTo(100);
      assertThat(a.getAttributes().get(longKey("gen_ai.usage.output_tokens"))).isEqualTo(20);
      assertThat(a.getAttributes().get(stringKey("orchestrator.provider"))).isEqualTo("claude");
      assertThat(a.getAttributes().get(longKey("orchestrator.attempt"))).isEqualTo(1);
      assertThat(a.getEndEpochNanos() - a.getStartEpochNanos()).as("the call's two seconds, on the engine's clock")
          .isEqualTo(TimeUnit.SECONDS.toNanos(2));
      assertThat(a.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      assertThat(a.getAttributes().asMap().keySet()).extracting(Object::toString)
          .doesNotContain("gen_ai.input.messages", "gen_ai.output.messages");
    });
    assertThat(exporter.getFinishedSpanItems()).allSatisfy(s -> assertThat(s.getAttributes().toString())
        .as("no prompt or output unless asked for").doesNotContain("secret plan", "finished text"));
    assertThat(runSpan.getStartEpochNanos()).isLessThanOrEqualTo(draft.getStartEpochNanos());
    assertThat(runSpan.getEndEpochNanos()).isGreaterThanOrEqualTo(edit.getEndEpochNanos());
  }

  @Test
  void aFailedAttemptHasAnErrorStatusAndItsErrorType() {
    FakeProvider broken = FakeProvider.builder("broken").otherwise(r -> Reply.failure(ErrorKind.SERVER)).build();
    try (Orchestrator o = engine().provider(broken).build();
        OrchestratorTracing tracing = OrchestratorTracing.create(o, otel)) {
      Run run = o.submit("demo", Workflow.builder("f").task("x", t -> t.instructions("try").provider("broken")
          .retry(RetryPolicy.builder().maxAttempts(2).backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).build()))
          .build());
      scheduler.advance(Duration.ofMinutes(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);
    }

    List<SpanData> attempts = exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals("chat broken")).toList();
    assertThat(attempts).hasSize(2).allSatisfy(a -> {
      assertThat(a.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(a.getAttributes().get(stringKey("error.type"))).isEqualTo("server");
      assertThat(a.getAttributes().get(stringKey("gen_ai.provider.name"))).as("the instance name by default")
          .isEqualTo("broken");
      assertThat(a.getAttributes().get(stringKey("gen_ai.request.model"))).isNull();
    });
    assertThat(attempts).extracting(a -> a.getAttributes().get(longKey("orchestrator.attempt")))
        .containsExactlyInAnyOrder(1L, 2L);
    SpanData task = span("task x");
    assertThat(task.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(task.getEvents()).extracting(e -> e.getName()).contains("retry scheduled");
    assertThat(span("run f").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void promptsAndOutputsAreRecordedOnlyWhenAskedFor() {
    try (Orchestrator o = engine().provider(claude()).build();
        OrchestratorTracing tracing = OrchestratorTracing.builder(o, otel).captureContent(true).build()) {
      o.submit("demo", twoSteps());
      scheduler.advance(Duration.ofMinutes(1));
    }

    SpanData draftAttempt = exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals("chat claude"))
        .filter(s -> "draft".equals(s.getAttributes().get(stringKey("orchestrator.task.id")))).findFirst()
        .orElseThrow();
    assertThat(draftAttempt.getAttributes().get(stringKey("gen_ai.input.messages")))
        .startsWith("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"")
        .contains("draft the secret plan");
    assertThat(draftAttempt.getAttributes().get(stringKey("gen_ai.output.messages")))
        .isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"the finished text\"}],"
            + "\"finish_reason\":\"stop\"}]");
  }

  @Test
  void theTasksOfARunSubmittedBeforeTracingStartedAreRootSpans() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.hang()).build();
    String runId;
    try (Orchestrator o = engine().provider(p).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("1"))
          .task("b", t -> t.instructions("2").dependsOn("a")).build());
      try (OrchestratorTracing tracing = OrchestratorTracing.create(o, otel)) {
        p.calls().get(0).future().complete(ProviderResponse.of("one", TokenUsage.of(1, 1)));
        assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      }
      runId = run.id();
    }

    assertThat(names()).as("no run span, no span for the attempt whose start was not seen")
        .containsExactlyInAnyOrder("task b", "chat p");
    SpanData b = span("task b");
    assertThat(b.getParentSpanId()).isEqualTo(SpanId.getInvalid());
    assertThat(b.getAttributes().get(stringKey("orchestrator.run.id"))).isEqualTo(runId);
    assertThat(span("chat p").getParentSpanId()).isEqualTo(b.getSpanId());
  }

  @Test
  void nothingIsRecordedOnceClosed() {
    try (Orchestrator o = engine().provider(claude()).build()) {
      OrchestratorTracing tracing = OrchestratorTracing.create(o, otel);
      tracing.close();
      tracing.close();
      o.submit("demo", twoSteps());
      scheduler.advance(Duration.ofMinutes(1));
    }
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void aBlankModelIsRefusedByName() {
    try (Orchestrator o = engine().provider(claude()).build()) {
      assertThatThrownBy(() -> OrchestratorTracing.builder(o, otel).model("claude", " "))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model must not be blank");
    }
  }
}
