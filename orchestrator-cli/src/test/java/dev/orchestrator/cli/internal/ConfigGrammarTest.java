package dev.orchestrator.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orchestrator.Money;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Options, environment variables and the configuration file read durations and amounts in the one grammar. */
class ConfigGrammarTest {
  private static Config config(String json) {
    return Config.parse(Path.of("config.json"), json);
  }

  private static CliException refused(String json) {
    return catchThrowableOfType(CliException.class, () -> config(json));
  }

  @Test
  void optionsAndVariablesTakeCompoundFormsDaysAndIso() {
    assertThat(Durations.parse("ORCHESTRATOR_LEASE", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("--misfire", "1d12h")).isEqualTo(Duration.ofHours(36));
    assertThat(Durations.parse("--notify-wait", "PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Durations.parse("--notify-wait", "2 s")).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aBadDurationIsAConfigurationErrorNamingTheFieldAndTheFix() {
    CliException e = catchThrowableOfType(CliException.class, () -> Durations.parse("ORCHESTRATOR_LEASE", "soon"));
    assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(e.getMessage()).isEqualTo("ORCHESTRATOR_LEASE must be a duration such as 500ms, 30s, 10m, 1h30m or 2d"
        + " (units ms, s, m, h, d) or ISO-8601 such as PT30S (was 'soon')");
    assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
    assertThat(catchThrowableOfType(CliException.class, () -> Durations.parse("--notify-wait", "-5s")).getMessage())
        .isEqualTo("--notify-wait must not be negative: write a duration such as 30s or 1h30m (was '-5s')");
  }

  @Test
  void policiesTakeEveryForm() {
    Config c = config("""
        {"policies": {"retry": {"delay": "1m30s", "maxDelay": "2d"},
          "circuitBreaker": {"window": "PT10M", "openFor": "1h30m", "maxOpenFor": "1d12h"}}}""");
    assertThat(c.retry().delay()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.retry().maxDelay()).isEqualTo(Duration.ofDays(2));
    assertThat(c.breaker().window()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.breaker().openFor()).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.breaker().maxOpenFor()).isEqualTo(Duration.ofHours(36));
  }

  @Test
  void aBadPolicyDurationNamesTheFileTheKeyAndTheValue() {
    CliException e = refused("{\"policies\": {\"circuitBreaker\": {\"window\": \"ten minutes\"}}}");
    assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(e.getMessage()).isEqualTo("configuration file config.json: policies.circuitBreaker: window must be a"
        + " duration such as 500ms, 30s, 10m, 1h30m or 2d (units ms, s, m, h, d) or ISO-8601 such as PT30S (was"
        + " 'ten minutes')");
    assertThat(refused("{\"policies\": {\"retry\": {\"delay\": \"30m1h\"}}}").getMessage())
        .startsWith("configuration file config.json: policies.retry: delay must give its units from the largest");
  }

  @Test
  void budgetsTakeDollarAmountsAndRefuseNegativeOnes() {
    Config c = config("{\"budgets\": [{\"project\": \"p\", \"limit\": \"$12.50\"},"
        + " {\"global\": true, \"limit\": 100}]}");
    assertThat(c.budgets()).extracting(b -> b.limit()).containsExactly(Money.usd("12.50"), Money.usd("100"));
    CliException e = refused("{\"budgets\": [{\"project\": \"p\", \"limit\": \"-5\"}]}");
    assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(e.getMessage()).isEqualTo("configuration file config.json: budgets: limit must not be negative: write"
        + " an amount of US dollars such as 0.50, $0.50 or 12 (was '-5')");
  }
}
