package dev.orchestrator.spring.boot;

import dev.orchestrator.core.Orchestrator;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The orchestrator's actuator parts, when the application has Spring Boot's actuator: the health indicator
 * {@code orchestrator} ({@code management.health.orchestrator.enabled}) and the endpoint {@code orchestrator}.
 */
@AutoConfiguration(after = OrchestratorAutoConfiguration.class,
    beforeName = "org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration")
@ConditionalOnClass(name = {"org.springframework.boot.actuate.health.HealthIndicator",
    "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"})
@ConditionalOnBean(Orchestrator.class)
public class OrchestratorActuatorAutoConfiguration {
  /** For Spring. */
  public OrchestratorActuatorAutoConfiguration() {}

  /** The health indicator {@code orchestrator}. */
  @Bean
  @ConditionalOnMissingBean(name = "orchestratorHealthIndicator")
  @ConditionalOnEnabledHealthIndicator("orchestrator")
  public OrchestratorHealthIndicator orchestratorHealthIndicator(Orchestrator orchestrator) {
    return new OrchestratorHealthIndicator(orchestrator);
  }

  /** The endpoint {@code orchestrator}. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  public OrchestratorEndpoint orchestratorEndpoint(Orchestrator orchestrator) {
    return new OrchestratorEndpoint(orchestrator);
  }
}
