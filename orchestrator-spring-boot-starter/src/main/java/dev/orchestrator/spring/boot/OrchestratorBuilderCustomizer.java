package dev.orchestrator.spring.boot;

import dev.orchestrator.core.Orchestrator;

/**
 * Changes the orchestrator's builder after {@code orchestrator.*} and the application's beans were applied, just
 * before it is built: for what the properties do not cover (a clock, a scheduler, guards from configuration, a
 * listener that needs the builder). Declare it as a bean; every one runs, in {@link org.springframework.core.Ordered}
 * order.
 *
 * <pre>{@code
 * @Bean
 * OrchestratorBuilderCustomizer slowerSync() {
 *   return builder -> builder.syncInterval(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface OrchestratorBuilderCustomizer {
  /** Changes {@code builder}; called once, on the thread that creates the orchestrator bean. */
  void customize(Orchestrator.Builder builder);
}
