package dev.orchestrator.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.providers.http.Settings;
import dev.orchestrator.providers.http.SseParser;
import dev.orchestrator.providers.internal.cli.CommandLine;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration errors name the property and the fix; event streams and command lines split correctly. */
class SettingsAndSseTest {
  final MutableClock clock = MutableClock.create();
  final PluginContext context = PluginContext.of(clock, new ManualScheduler(clock), k -> null);

  @Test
  void aMissingKeyNamesTheVariableToSet() {
    assertThatThrownBy(() -> new AnthropicProviderFactory().create(PluginConfig.of("claude", "anthropic"), context))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ANTHROPIC_API_KEY")
        .hasMessageContaining("claude");
    assertThatThrownBy(() -> new GeminiProviderFactory().create(new PluginConfig("gemini", "gemini",
        Map.of("apiKeyEnv", "MY_GEMINI_KEY")), context)).hasMessageContaining("MY_GEMINI_KEY");
  }

  @Test
  void badValuesAreRejectedWithTheFix() {
    assertThatThrownBy(() -> new OpenAiProviderFactory().create(new PluginConfig("local", "openai",
        Map.of("baseUrl", "http://127.0.0.1:11434/v1", "timeout", "soon")), context))
        .hasMessageContaining("'timeout'").hasMessageContaining("soon").hasMessageContaining("30s");
    assertThatThrownBy(() -> new OpenAiProviderFactory().create(new PluginConfig("local", "openai",
        Map.of("baseUrl", "ftp://example.com")), context)).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> new SimulatorProviderFactory().create(new PluginConfig("sim", "simulator",
        Map.of("failureRate", "1.5")), context)).hasMessageContaining("failureRate").hasMessageContaining("0..1");
    assertThatThrownBy(() -> new CliProviderFactory().create(PluginConfig.of("codex", "cli"), context))
        .hasMessageContaining("'command'");
  }

  @Test
  void durationsReadTheSharedGrammarWhichNowTakesDaysAndCompoundForms() {
    Settings s = new Settings(new PluginConfig("codex", "cli", Map.of("timeout", "1h30m", "checkInterval", "2d",
        "connectTimeout", "PT5S", "latency", "0s", "retryAfter", "0s")), context);
    assertThat(s.duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofMinutes(90));
    assertThat(s.duration("checkInterval", Duration.ZERO)).isEqualTo(Duration.ofDays(2));
    assertThat(s.duration("connectTimeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.durationOrZero("latency", Duration.ofSeconds(1))).isZero();
    assertThatThrownBy(() -> s.duration("retryAfter", Duration.ofSeconds(5)))
        .hasMessage("plugin 'codex' (type cli) property 'retryAfter' must be longer than zero, such as 500ms or 30s"
            + " (was '0s')");
    assertThat(new CliProviderFactory().create(new PluginConfig("codex", "cli", Map.of("command", "true",
        "timeout", "2d", "checkInterval", "1s 500ms")), context)).isNotNull();
  }

  @Test
  void flagsAreTrueOrFalseOnly() {
    assertThatThrownBy(() -> new OpenAiProviderFactory().create(new PluginConfig("local", "openai",
        Map.of("baseUrl", "http://127.0.0.1:11434/v1", "stream", "yes")), context))
        .hasMessage("plugin 'local' (type openai) property 'stream' must be true or false (was 'yes')");
  }

  @Test
  void serverSentEventsSplitOnBlankLines() throws Exception {
    List<String> got = new ArrayList<>();
    SseParser p = new SseParser((event, data) -> got.add(event + "=" + data));
    for (String line : List.of(": comment", "event: a", "data: one", "data:two", "", "data: x", "", "data: tail")) {
      p.line(line);
    }
    p.end();
    assertThat(got).containsExactly("a=one\ntwo", "null=x", "null=tail");
  }

  @Test
  void commandLinesSplitLikeAShellWithoutRunningOne() {
    assertThat(CommandLine.split("claude -p --output-format json")).containsExactly("claude", "-p",
        "--output-format", "json");
    assertThat(CommandLine.split("sh -c 'echo $HOME | wc' \"a \\\"b\\\"\" c\\ d")).containsExactly("sh", "-c",
        "echo $HOME | wc", "a \"b\"", "c d");
    assertThatThrownBy(() -> CommandLine.split("echo 'open")).hasMessageContaining("unclosed");
  }
}
