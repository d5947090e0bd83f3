package dev.orchestrator.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orchestrator.core.Orchestrator;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration names learning strategies, for every project and for one, found by name among the plugins. */
class LearningConfigTest {
  private static Config config(String json) {
    return Config.parse(Path.of("config.json"), json);
  }

  @Test
  void theStrategiesAndTheirPropertiesAreRead() {
    Config c = config("{\"learning\": {\"strategy\": \"Adaptive\", \"seed\": 42, \"margin\": \"0.05\"},"
        + " \"projects\": {\"marketing\": {\"learning\": {\"strategy\": \"best-quality\", \"minSamples\": \"3\"}}}}");
    assertThat(c.learning()).isEqualTo(new Config.Learning("adaptive", Map.of("seed", "42", "margin", "0.05")));
    assertThat(c.projectLearning()).containsExactly(
        Map.entry("marketing", new Config.Learning("best-quality", Map.of("minSamples", "3"))));
    LearningStrategies.configure(c, Orchestrator.builder(), k -> null); // both are found and created
  }

  @Test
  void anUnknownStrategyNamesTheKnownOnes() {
    Config c = config("{\"projects\": {\"ops\": {\"learning\": {\"strategy\": \"psychic\"}}}}");
    CliException e = catchThrowableOfType(CliException.class,
        () -> LearningStrategies.configure(c, Orchestrator.builder(), k -> null));
    assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(e.getMessage()).contains("projects.ops.learning.strategy", "'psychic'",
        "adaptive, as-assigned, best-quality, cheapest-acceptable");
  }

  @Test
  void aBadPropertyNamesItsPlace() {
    Config c = config("{\"learning\": {\"strategy\": \"adaptive\", \"seed\": \"soon\"}}");
    CliException e = catchThrowableOfType(CliException.class,
        () -> LearningStrategies.configure(c, Orchestrator.builder(), k -> null));
    assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(e.getMessage()).contains("learning").contains("seed");
  }

  @Test
  void aStrategyMustBeNamed() {
    CliException e = catchThrowableOfType(CliException.class, () -> config("{\"learning\": {\"seed\": \"1\"}}"));
    assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(e.getMessage()).contains("learning.strategy", "must name a learning strategy");
  }

  @Test
  void shadowEvaluationIsReadWithItsPromotionRule() {
    Config c = config("{\"providers\": {\"claude\": {\"type\": \"anthropic\"}}, \"shadow\": {\"sampleRate\": 0.2,"
        + " \"seed\": 7, \"promoteAfter\": \"3 of 5\", \"maxCostPerComparison\": \"$0.05\", \"judge\": \"Claude\"}}");
    assertThat(c.shadow()).isNotNull();
    assertThat(c.shadow().sampleRate()).isEqualTo(0.2);
    assertThat(c.shadow().wins()).isEqualTo(3);
    assertThat(c.shadow().comparisons()).isEqualTo(5);
    assertThat(c.shadow().judge()).isEqualTo("claude");
    assertThat(config("{}").shadow()).isNull();
  }

  @Test
  void aBadShadowSettingNamesItsPlaceAndTheFix() {
    assertThat(catchThrowableOfType(CliException.class, () -> config("{\"shadow\": {\"promoteAfter\": \"3/5\"}}"))
        .getMessage()).contains("shadow.promoteAfter", "3 of 5");
    assertThat(catchThrowableOfType(CliException.class, () -> config("{\"shadow\": {\"sampleRate\": 2}}"))
        .getMessage()).contains("shadow.sampleRate", "from 0 to 1");
    assertThat(catchThrowableOfType(CliException.class, () -> config("{\"shadow\": {\"judge\": \"nobody\"}}"))
        .getMessage()).contains("shadow.judge", "'nobody'");
    assertThat(catchThrowableOfType(CliException.class, () -> config("{\"shadow\": {\"rate\": 1}}"))
        .getMessage()).contains("shadow.rate", "unknown field");
  }
}
