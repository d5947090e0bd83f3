package dev.orchestrator.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.spi.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The health indicator and the endpoint: when they exist, and what the indicator says of a store that fails. */
class OrchestratorHealthIndicatorTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(OrchestratorAutoConfiguration.class,
          OrchestratorActuatorAutoConfiguration.class))
      .withPropertyValues("orchestrator.providers.fast.type=simulator",
          "orchestrator.providers.fast.api-key=sk-never-shown-123456");

  @Test
  void isDownWhenTheStoreFailsAndShowsNoSecret() {
    AtomicBoolean broken = new AtomicBoolean();
    runner.withBean(Store.class, () -> failing(InMemoryStore.create(), broken)).run(context -> {
      OrchestratorHealthIndicator indicator = context.getBean(OrchestratorHealthIndicator.class);
      Health up = indicator.health();
      assertThat(up.getStatus()).isEqualTo(Status.UP);
      assertThat(up.getDetails().get("providers")).asString().contains("fast={circuit=CLOSED, recentFailures=0");

      broken.set(true);
      Health down = indicator.health();
      assertThat(down.getStatus()).isEqualTo(Status.DOWN);
      assertThat(down.getDetails().get("store")).asString().contains("status=unreachable",
          "the database went away");
      assertThat(down.toString()).doesNotContain("sk-never-shown");
    });
  }

  @Test
  void theIndicatorCanBeTurnedOffAndTheEndpointStays() {
    runner.withPropertyValues("management.health.orchestrator.enabled=false",
        "management.endpoints.web.exposure.include=orchestrator").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(OrchestratorHealthIndicator.class);
      assertThat(context).hasSingleBean(OrchestratorEndpoint.class);
    });
  }

  @Test
  void theEndpointExistsOnlyWhenExposed() {
    runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OrchestratorEndpoint.class)
        .hasSingleBean(OrchestratorHealthIndicator.class));
  }

  @Test
  void nothingWithoutTheOrchestrator() {
    runner.withPropertyValues("orchestrator.enabled=false").run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(OrchestratorHealthIndicator.class).doesNotHaveBean(OrchestratorEndpoint.class));
  }

  /** The store, whose reads of projects fail while {@code broken} is set. */
  static Store failing(Store real, AtomicBoolean broken) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          if (broken.get() && method.getName().equals("projectList")) {
            throw new IllegalStateException("the database went away");
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
