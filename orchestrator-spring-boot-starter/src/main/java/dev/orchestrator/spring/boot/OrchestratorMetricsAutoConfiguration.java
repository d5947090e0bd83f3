package dev.orchestrator.spring.boot;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.micrometer.OrchestratorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The orchestrator's meters ({@code docs/metrics.md}) in the application's {@link MeterRegistry}, when
 * {@code orchestrator-micrometer} is on the class path and the application has a registry (Spring Boot's actuator
 * makes one): attempts, latency, tokens and cost per provider, and tasks, queues, breakers and budgets from the store.
 * The binder is closed before the orchestrator.
 */
@AutoConfiguration(after = OrchestratorAutoConfiguration.class, afterName = {
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({OrchestratorMetrics.class, MeterRegistry.class})
@ConditionalOnBean({Orchestrator.class, MeterRegistry.class})
public class OrchestratorMetricsAutoConfiguration {
  /** For Spring. */
  public OrchestratorMetricsAutoConfiguration() {}

  /** The orchestrator's meters, bound to the application's registry. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public OrchestratorMetrics orchestratorMetrics(Orchestrator orchestrator, MeterRegistry registry) {
    return OrchestratorMetrics.bindTo(orchestrator, registry);
  }
}
