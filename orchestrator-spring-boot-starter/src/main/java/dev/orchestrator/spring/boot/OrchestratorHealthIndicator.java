package dev.orchestrator.spring.boot;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.spi.store.StoreView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The orchestrator's health, as {@code /actuator/health/orchestrator}: DOWN when its store cannot be read, else UP,
 * with the details of the store, the engine, and each provider instance's circuit (closed, open or half-open, its
 * recent failures, when it opened and when its next probe is due, and whether it is paused).
 *
 * <p>An open circuit does not make the application DOWN: the orchestrator rests that provider and sends its tasks to
 * another or lets them wait, which is the breaker doing its work, not a fault of the application (a probe that
 * restarted the application would lose nothing, and gain nothing). Read the details, or alert on them.
 *
 * <p>No detail holds a secret: providers are named, never their keys or URLs. Thread-safe.
 */
public class OrchestratorHealthIndicator extends AbstractHealthIndicator {
  private final Orchestrator orchestrator;

  /** Reports on {@code orchestrator}. */
  public OrchestratorHealthIndicator(Orchestrator orchestrator) {
    super("Orchestrator health check failed");
    this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    StoreView store = orchestrator.store();
    builder.withDetail("engine", orchestrator.engineName());
    Map<String, Object> storeDetails = new LinkedHashMap<>();
    storeDetails.put("type", store.getClass().getSimpleName());
    storeDetails.put("durable", store.durable());
    try {
      // A read of every project: the store answers, its tables are there.
      storeDetails.put("projects", store.projectList(true).size());
      storeDetails.put("status", "reachable");
      builder.up();
    } catch (RuntimeException e) {
      storeDetails.put("status", "unreachable");
      storeDetails.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      builder.down();
    }
    builder.withDetail("store", storeDetails);
    Map<String, Object> providers = new LinkedHashMap<>();
    for (String name : orchestrator.providers()) {
      providers.put(name, circuit(orchestrator.circuit(name)));
    }
    builder.withDetail("providers", providers);
    if (!orchestrator.pluginProblems().isEmpty()) {
      builder.withDetail("pluginProblems", orchestrator.pluginProblems());
    }
  }

  private static Map<String, Object> circuit(CircuitState c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("circuit", c.state().name());
    m.put("recentFailures", c.recentFailures());
    if (c.openedAt() != null) {
      m.put("openedAt", c.openedAt().toString());
    }
    if (c.probeAt() != null) {
      m.put("nextProbeAt", c.probeAt().toString());
    }
    m.put("paused", c.paused());
    if (c.pauseReason() != null) {
      m.put("pauseReason", c.pauseReason());
    }
    return m;
  }
}
