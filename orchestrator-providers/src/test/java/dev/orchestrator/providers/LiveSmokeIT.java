package dev.orchestrator.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.Scheduler;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One real call per provider, streamed and not, run only when its key is in the environment (skipped otherwise).
 * Uses the cheapest models so a run costs a fraction of a cent. For the command-line provider set
 * {@code ORCHESTRATOR_SMOKE_CLI_COMMAND}, such as {@code claude -p}.
 */
class LiveSmokeIT {
  /** Real time for a real service: timers run on a daemon thread, for as long as the test JVM lives. */
  static final Scheduler REAL = Scheduler.daemon("live-smoke-timer");

  @ParameterizedTest
  @CsvSource({"openai, OPENAI_API_KEY, gpt-4o-mini, false", "openai, OPENAI_API_KEY, gpt-4o-mini, true",
      "anthropic, ANTHROPIC_API_KEY, claude-haiku-4-5, false", "anthropic, ANTHROPIC_API_KEY, claude-haiku-4-5, true",
      "gemini, GEMINI_API_KEY, gemini-2.5-flash-lite, false", "cli, ORCHESTRATOR_SMOKE_CLI_COMMAND, , false"})
  void aRealCallAnswersAndIsCosted(String type, String env, String model, boolean stream) throws Exception {
    String value = System.getenv(env);
    assumeTrue(value != null && !value.isBlank(), env + " is not set: live smoke test skipped");
    ProviderFactory factory = java.util.ServiceLoader.load(ProviderFactory.class).stream()
        .map(java.util.ServiceLoader.Provider::get).filter(f -> f.type().equals(type)).findFirst().orElseThrow();
    Map<String, String> props = type.equals("cli") ? Map.of("command", value, "timeout", "2m")
        : Map.of("model", model, "stream", String.valueOf(stream), "maxOutputTokens", "20", "timeout", "60s");
    try (AiProvider p = factory.create(new PluginConfig("smoke-" + type, type, props),
        PluginContext.of(Clock.systemUTC(), REAL, System::getenv))) {
      ProviderResponse r = p.complete(ProviderRequest.of("Reply with the single word: pong"),
          CallContext.of("smoke", "run-1", "task-1", 1)).get(90, TimeUnit.SECONDS);
      assertThat(r.text()).isNotBlank();
      if (!type.equals("cli")) {
        assertThat(r.usage().inputTokens()).isPositive();
        assertThat(r.usage().outputTokens()).isPositive();
        assertThat(r.cost().isZero()).isFalse();
        assertThat(r.toString()).doesNotContain(value);
      }
    }
  }
}
