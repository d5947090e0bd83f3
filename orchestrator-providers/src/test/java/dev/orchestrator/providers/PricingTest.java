package dev.orchestrator.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.internal.ModelPrice;
import dev.orchestrator.providers.internal.PriceTable;
import dev.orchestrator.providers.internal.Pricing;
import dev.orchestrator.providers.internal.Settings;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pricing table and the cost of usage. */
class PricingTest {
  static Settings settings(String name, Map<String, String> props) {
    MutableClock clock = MutableClock.create();
    return new Settings(new PluginConfig(name, "openai", props),
        new PluginContext(clock, new ManualScheduler(clock), k -> null));
  }

  @Test
  void anUnknownModelIsCostedAtTheDefaultPriceNeverZero() {
    Pricing pricing = Pricing.from(settings("p", Map.of()), "my-finetune");
    Money cost = pricing.cost("my-finetune", TokenUsage.of(1_000_000, 1_000_000));
    assertThat(cost).isEqualTo(Money.usd("90"));
    Pricing cheap = Pricing.from(settings("p", Map.of("defaultPrice.input", "1", "defaultPrice.output", "2")),
        "my-finetune");
    assertThat(cheap.cost(null, TokenUsage.of(1_000_000, 1_000_000))).isEqualTo(Money.usd("3"));
  }

  @Test
  void anUnknownModelIsWarnedAboutOnce() throws Exception {
    Pricing pricing = Pricing.from(settings("warn-once", Map.of()), "mystery-model-x1");
    for (int i = 0; i < 5; i++) {
      pricing.cost("mystery-model-x1", TokenUsage.of(10, 10));
    }
    String log = Files.readString(Path.of("target/provider-tests.log"));
    assertThat(log.split("provider=warn-once, model=mystery-model-x1", -1)).hasSize(2);
  }

  @Test
  void configurationOverridesTheTable(@TempDir Path dir) throws Exception {
    Pricing local = Pricing.from(settings("ollama", Map.of("price.input", "0", "price.output", "0")), "llama3.2");
    assertThat(local.cost("llama3.2:8b", TokenUsage.of(5000, 5000)).isZero()).isTrue();

    Path file = dir.resolve("prices.json");
    Files.writeString(file, "{\"currency\": \"USD\", \"models\": {\"gpt-4o\": {\"input\": \"1\", \"output\": \"2\","
        + " \"asOf\": \"2026-01-01\"}}}");
    Pricing fromFile = Pricing.from(settings("p", Map.of("pricingFile", file.toString())), "gpt-4o");
    assertThat(fromFile.cost("gpt-4o", TokenUsage.of(1_000_000, 1_000_000))).isEqualTo(Money.usd("3"));

    assertThatThrownBy(() -> Pricing.from(settings("p", Map.of("price.input", "-1", "price.output", "2")), "m"))
        .hasMessageContaining("price.input").hasMessageContaining("-1");
    assertThatThrownBy(() -> Pricing.from(settings("p", Map.of("price.input", "1")), "m"))
        .hasMessageContaining("price.output");
  }
}
