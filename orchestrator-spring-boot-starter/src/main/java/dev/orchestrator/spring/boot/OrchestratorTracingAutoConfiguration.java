package dev.orchestrator.spring.boot;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.opentelemetry.OrchestratorTracing;
import dev.orchestrator.opentelemetry.ProviderCallTracing;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Traces ({@code docs/tracing.md}) into the application's {@link OpenTelemetry}, when {@code orchestrator-opentelemetry}
 * is on the class path and the application has an {@code OpenTelemetry} bean (its own, or OpenTelemetry's Spring Boot
 * starter's): a span per run, task and attempt, and every provider call, configured or a bean, run inside its attempt
 * span, so the bundled HTTP providers send the vendor its {@code traceparent}. Prompts and outputs are recorded only
 * with {@code orchestrator.tracing.capture-content=true}. The tracing is closed before the orchestrator.
 */
// After the orchestrator's configuration (its bean is a condition here): the customizer below still reaches the
// builder, since customizers are collected when the orchestrator is created, after every bean is declared.
@AutoConfiguration(after = OrchestratorAutoConfiguration.class,
    afterName = "io.opentelemetry.instrumentation.spring.autoconfigure.OpenTelemetryAutoConfiguration")
@ConditionalOnClass({OrchestratorTracing.class, OpenTelemetry.class})
@ConditionalOnBean(OpenTelemetry.class)
public class OrchestratorTracingAutoConfiguration {
  /** For Spring. */
  public OrchestratorTracingAutoConfiguration() {}

  /** Runs provider calls inside their attempt spans. */
  @Bean
  @ConditionalOnMissingBean
  public ProviderCallTracing orchestratorProviderCalls() {
    return ProviderCallTracing.create();
  }

  /** Wraps every provider instance of the orchestrator the starter builds. */
  @Bean
  public OrchestratorBuilderCustomizer orchestratorProviderCallTracing(ProviderCallTracing calls) {
    return b -> b.decorateProviders(calls::wrap);
  }

  /** The spans, recorded from the orchestrator's events. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnBean(Orchestrator.class)
  public OrchestratorTracing orchestratorTracing(Orchestrator orchestrator, OpenTelemetry openTelemetry,
      ProviderCallTracing calls, OrchestratorProperties properties) {
    return OrchestratorTracing.builder(orchestrator, openTelemetry).providerCalls(calls)
        .captureContent(properties.getTracing().isCaptureContent()).build();
  }
}
