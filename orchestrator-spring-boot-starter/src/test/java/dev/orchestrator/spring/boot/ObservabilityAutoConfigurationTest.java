package dev.orchestrator.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.micrometer.OrchestratorMetrics;
import dev.orchestrator.opentelemetry.OrchestratorTracing;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Workflow;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Meters and traces come with the application's MeterRegistry and OpenTelemetry beans, and only with them. */
class ObservabilityAutoConfigurationTest {
  private static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(OrchestratorAutoConfiguration.class,
          OrchestratorMetricsAutoConfiguration.class, OrchestratorTracingAutoConfiguration.class))
      .withPropertyValues(OrchestratorAutoConfigurationTest.SIMULATORS);

  private static void runOne(Orchestrator o) throws Exception {
    assertThat(o.submit("spring", Workflow.builder("hello").task("greet", t -> t.instructions("Say hello")).build())
        .completion().get(30, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void withoutARegistryOrOpenTelemetryThereIsNeither() {
    RUNNER.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(Orchestrator.class)
          .doesNotHaveBean(OrchestratorMetrics.class).doesNotHaveBean(OrchestratorTracing.class);
    });
  }

  @Test
  void theApplicationsRegistryGetsTheOrchestratorsMeters() {
    RUNNER.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(OrchestratorMetrics.class);
      runOne(context.getBean(Orchestrator.class));
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get("orchestrator.attempts").tag("provider", "fast").counter().count()).isEqualTo(1.0);
    });
  }

  @Test
  void theApplicationsOpenTelemetryGetsSpansAndProviderCallsRunInThem() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    List<Boolean> inSpan = SpanCheckingProvider.IN_SPAN;
    inSpan.clear();
    RUNNER.withUserConfiguration(SpanCheckingProvider.class)
        .withBean(OpenTelemetry.class, () -> OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider
            .builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build())
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(OrchestratorTracing.class);
          Orchestrator o = context.getBean(Orchestrator.class);
          assertThat(o.submit("spring", Workflow.builder("checked").task("look", t -> t.instructions("Look")
              .provider("checker")).build()).completion().get(30, TimeUnit.SECONDS).status())
              .isEqualTo(RunStatus.SUCCEEDED);
          // The run's last events reach the tracing on the engine's thread, right after the run's completion.
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (exporter.getFinishedSpanItems().stream().noneMatch(sp -> sp.getName().equals("run checked"))
              && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
          }
          // Read before the context closes: closing the SDK shuts the exporter, which forgets its spans.
          assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName)
              .contains("run checked", "task look");
        });
    assertThat(inSpan).as("the bean provider's call ran inside its attempt span").containsExactly(true);
  }

  /** A provider bean that records whether its call runs inside a span. */
  @Configuration(proxyBeanMethods = false)
  static class SpanCheckingProvider {
    static final List<Boolean> IN_SPAN = new CopyOnWriteArrayList<>();

    @Bean
    FakeProvider checker() {
      return FakeProvider.builder("checker").otherwise(r -> {
        IN_SPAN.add(Span.current().getSpanContext().isValid());
        return FakeProvider.Reply.text("seen");
      }).build();
    }
  }
}
