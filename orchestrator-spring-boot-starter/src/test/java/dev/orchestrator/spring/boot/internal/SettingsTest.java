package dev.orchestrator.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spring.boot.OrchestratorProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** What Spring binds from {@code orchestrator.*} reaches the plugins and the engine as they read it. */
class SettingsTest {
  private static OrchestratorProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bind("orchestrator", OrchestratorProperties.class).get();
  }

  @Test
  void providerSettingsReachThePluginInItsSpelling() {
    OrchestratorProperties p = bind(Map.of(
        "orchestrator.providers.local.type", "OpenAI",
        "orchestrator.providers.local.model", "llama3.2",
        "orchestrator.providers.local.base-url", "http://127.0.0.1:11434/v1",
        "orchestrator.providers.local.api-key-env", "LOCAL_KEY",
        "orchestrator.providers.local.properties.max-cost-per-call", "2.00",
        "orchestrator.providers.local.properties.price.input", "0",
        "orchestrator.providers.local.requests-per-minute", "50",
        "orchestrator.providers.local.tokens-per-minute", "40000",
        "orchestrator.providers.local.task-types", "code_generation,review"));
    Settings.Read read = Settings.read(p);
    assertThat(read.problems().all()).isEmpty();
    Settings.Instance local = read.instances().get(0);
    PluginConfig config = local.config();
    assertThat(config).isNotNull();
    assertThat(config.name()).isEqualTo("local");
    assertThat(config.type()).isEqualTo("openai");
    assertThat(config.properties()).containsEntry("model", "llama3.2")
        .containsEntry("baseUrl", "http://127.0.0.1:11434/v1").containsEntry("apiKeyEnv", "LOCAL_KEY")
        .containsEntry("maxCostPerCall", "2.00").containsEntry("price.input", "0");
    assertThat(local.options().rateLimit()).isEqualTo(RateLimit.requestsPerMinute(50).andTokensPerMinute(40_000));
    assertThat(local.options().taskTypes()).containsExactlyInAnyOrder("code_generation", "review");
  }

  @Test
  void policiesTakeTheProjectsDurationGrammar() {
    Settings.Read read = Settings.read(bind(Map.of("orchestrator.retry.delay", "1m30s",
        "orchestrator.retry.max-delay", "PT10M", "orchestrator.circuit-breaker.open-for", "2h",
        "orchestrator.lease", "45s")));
    assertThat(read.problems().all()).isEmpty();
    assertThat(read.retry().delay()).isEqualTo(Duration.ofSeconds(90));
    assertThat(read.retry().maxDelay()).isEqualTo(Duration.ofMinutes(10));
    assertThat(read.breaker().openFor()).isEqualTo(Duration.ofHours(2));
    assertThat(read.breaker().maxOpenFor()).as("a longer open-for raises the default hour").isEqualTo(
        Duration.ofHours(2));
    assertThat(read.lease()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void aBlankKeyIsAProblemThatDoesNotShowIt() {
    Settings.Read read = Settings.read(bind(Map.of("orchestrator.providers.x.type", "openai",
        "orchestrator.providers.x.api-key", " ")));
    assertThat(read.problems().all()).singleElement().satisfies(p -> {
      assertThat(p.secret()).isTrue();
      assertThat(p.property()).isEqualTo("orchestrator.providers.x.api-key");
    });
  }
}
