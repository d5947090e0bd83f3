package dev.orchestrator.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.orchestrator.CostBasis;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.ModelPrice;
import dev.orchestrator.providers.http.PriceTable;
import dev.orchestrator.providers.http.Pricing;
import dev.orchestrator.providers.http.Rates;
import dev.orchestrator.providers.http.Settings;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pricing table and the cost of usage. */
class PricingTest {
  static Settings settings(String name, Map<String, String> props) {
    MutableClock clock = MutableClock.create();
    return new Settings(new PluginConfig(name, "openai", props),
        PluginContext.of(clock, new ManualScheduler(clock), k -> null));
  }

  @Test
  void anUnknownModelIsUnpricedAndCostsZeroNotAGuess() {
    Pricing pricing = Pricing.from(settings("p", Map.of()), "my-finetune");
    assertThat(pricing.priceOf("my-finetune")).isEmpty();
    assertThat(pricing.cost("my-finetune", TokenUsage.of(1_000_000, 1_000_000))).isEqualTo(Money.ZERO);
    assertThat(pricing.basis("my-finetune")).isEqualTo(CostBasis.UNPRICED);
    assertThat(pricing.basis(null)).as("the configured model answers").isEqualTo(CostBasis.UNPRICED);

    Pricing known = Pricing.from(settings("p", Map.of()), "gpt-4o");
    assertThat(known.basis("gpt-4o-2024-08-06")).isEqualTo(CostBasis.MEASURED);
    assertThat(known.basis("some-router-alias")).as("priced by the configured model").isEqualTo(CostBasis.MEASURED);
    assertThat(Pricing.from(settings("p", Map.of("price.input", "1", "price.output", "2")), "my-finetune")
        .basis("my-finetune")).isEqualTo(CostBasis.MEASURED);
  }

  @Test
  void anUnpricedModelIsWarnedAboutOnceWithTheFix() throws Exception {
    Pricing pricing = Pricing.from(settings("warn-once", Map.of()), "mystery-model-x1");
    for (int i = 0; i < 5; i++) {
      pricing.cost("mystery-model-x1", TokenUsage.of(10, 10));
      pricing.basis("mystery-model-x1");
    }
    String log = Files.readString(Path.of("target/provider-tests.log"));
    String[] parts = log.split("provider=warn-once, model=mystery-model-x1", -1);
    assertThat(parts).hasSize(2);
    String line = parts[1].lines().findFirst().orElseThrow();
    assertThat(line).contains("price.input and price.output on provider 'warn-once'").contains("pricingFile");
  }

  @Test
  void theRemovedDefaultPriceIsRefusedWithWhatToDoInstead() {
    assertThatThrownBy(() -> Pricing.from(settings("p", Map.of("defaultPrice.input", "15")), "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'defaultPrice.input'").hasMessageContaining("removed")
        .hasMessageContaining("price.input and price.output").hasMessageContaining("maxCostPerCall");
  }

  @Test
  void everyPriceKeyPricesItsPart() {
    Map<String, String> props = new HashMap<>();
    props.put("price.input", "1");
    props.put("price.output", "2");
    props.put("price.cachedInput", "3");
    props.put("price.cacheWrite", "4");
    props.put("price.cacheWrite1h", "5");
    props.put("price.audioInput", "6");
    props.put("price.audioOutput", "7");
    props.put("price.imageInput", "8");
    props.put("price.imageOutput", "9");
    props.put("price.batch", "0.5");
    ModelPrice p = Pricing.from(settings("p", props), "m").priceOf("m").orElseThrow();
    assertThat(p.base().byName()).containsExactly(entry("input", dec("1")), entry("output", dec("2")),
        entry("cachedInput", dec("3")), entry("cacheWrite", dec("4")), entry("cacheWrite1h", dec("5")),
        entry("audioInput", dec("6")), entry("audioOutput", dec("7")), entry("imageInput", dec("8")),
        entry("imageOutput", dec("9")));
    assertThat(p.batch()).isEqualByComparingTo("0.5");
    assertThat(p.longContext()).isNull();
    TokenUsage usage = TokenUsage.builder().input(1_000_000).cachedInput(100_000).cacheWrite(300_000)
        .cacheWrite1h(100_000).audioInput(200_000).imageInput(100_000).output(1_000_000).audioOutput(300_000)
        .imageOutput(200_000).build();
    // text in 0.3M x 1, cached 0.1M x 3, write 0.2M x 4, write1h 0.1M x 5, audio 0.2M x 6, image 0.1M x 8;
    // text out 0.5M x 2, audio 0.3M x 7, image 0.2M x 9
    assertThat(p.cost(usage)).isEqualTo(Money.usd("0.3").plus(Money.usd("0.3")).plus(Money.usd("0.8"))
        .plus(Money.usd("0.5")).plus(Money.usd("1.2")).plus(Money.usd("0.8")).plus(Money.usd("1.0"))
        .plus(Money.usd("2.1")).plus(Money.usd("1.8")));
  }

  @Test
  void unsetRatesDefaultToTheRateVendorsBillInstead() {
    ModelPrice p = Pricing.from(settings("p", Map.of("price.input", "1", "price.output", "2",
        "price.cacheWrite", "4")), "m").priceOf(null).orElseThrow();
    assertThat(p.base()).isEqualTo(new Rates(dec("1"), dec("2"), dec("1"), dec("4"), dec("4"), dec("1"), dec("2"),
        dec("1"), dec("2")));
    assertThat(p.batch()).isEqualByComparingTo("1");
  }

  @Test
  void theLongContextTierIsConfiguredByItsOwnKeys() {
    Map<String, String> props = new HashMap<>(Map.of("price.input", "3", "price.output", "15",
        "price.longContext.aboveInputTokens", "200000", "price.longContext.input", "6",
        "price.longContext.output", "22.50", "price.longContext.cachedInput", "0.60"));
    props.put("price.longContext.cacheWrite", "7.50");
    props.put("price.longContext.cacheWrite1h", "12");
    props.put("price.longContext.audioInput", "6.5");
    props.put("price.longContext.audioOutput", "23");
    props.put("price.longContext.imageInput", "6.6");
    props.put("price.longContext.imageOutput", "24");
    ModelPrice p = Pricing.from(settings("p", props), "m").priceOf("m").orElseThrow();
    assertThat(p.longContext()).isNotNull();
    assertThat(p.longContext().aboveInputTokens()).isEqualTo(200_000);
    assertThat(p.longContext().rates()).isEqualTo(new Rates(dec("6"), dec("22.50"), dec("0.60"), dec("7.50"),
        dec("12"), dec("6.5"), dec("23"), dec("6.6"), dec("24")));
    assertThat(p.cost(TokenUsage.of(200_001, 1_000_000))).isEqualTo(Money.usd("1.200006").plus(Money.usd("22.5")));
    assertThat(p.cost(TokenUsage.of(200_000, 1_000_000))).isEqualTo(Money.usd("0.6").plus(Money.usd("15")));

    assertThatThrownBy(() -> Pricing.from(settings("p", Map.of("price.input", "3", "price.output", "15",
        "price.longContext.input", "6", "price.longContext.output", "22.50")), "m"))
        .hasMessageContaining("'price.longContext.aboveInputTokens'").hasMessageContaining("200000");
    assertThatThrownBy(() -> Pricing.from(settings("p", Map.of("price.input", "3", "price.output", "15",
        "price.longContext.aboveInputTokens", "200000", "price.longContext.input", "6")), "m"))
        .hasMessageContaining("'price.longContext.output'");
  }

  @Test
  void anUnknownPriceKeyIsRefusedByName() {
    assertThatThrownBy(() -> Pricing.from(settings("p", Map.of("price.input", "1", "price.output", "2",
        "price.cached_input", "0.5")), "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'price.cached_input'").hasMessageContaining("price.cachedInput")
        .hasMessageContaining("price.longContext.aboveInputTokens").hasMessageContaining("(was '0.5')");
    assertThatThrownBy(() -> Pricing.from(settings("p", Map.of("price.longContext.foo", "1")), "m"))
        .hasMessageContaining("'price.longContext.foo'");
    assertThatThrownBy(() -> Pricing.from(settings("p", Map.of("price.cachedInput", "1")), "m"))
        .as("a rate without the base rates").hasMessageContaining("price.input");
    assertThatThrownBy(() -> Pricing.from(settings("p", Map.of("price.input", "1", "price.output", "2",
        "price.batch", "2")), "m")).hasMessageContaining("'price.batch'").hasMessageContaining("at most 1");
  }

  @Test
  void maxCostPerCallIsAPositiveAmount() {
    assertThat(Pricing.from(settings("p", Map.of("maxCostPerCall", "0.50")), "m").maxCostPerCall())
        .isEqualTo(Money.usd("0.50"));
    assertThat(Pricing.from(settings("p", Map.of()), "m").maxCostPerCall()).isNull();
    assertThatThrownBy(() -> Pricing.from(settings("p", Map.of("maxCostPerCall", "0")), "m"))
        .hasMessageContaining("'maxCostPerCall'").hasMessageContaining("such as 0.50");
    assertThat(Pricing.from(settings("p", Map.of("maxCostPerCall", "$1")), "m").maxCostPerCall())
        .as("the dollar sign every other amount accepts").isEqualTo(Money.usd("1"));
    assertThatThrownBy(() -> Pricing.from(settings("p", Map.of("maxCostPerCall", "a dollar")), "m"))
        .hasMessageContaining("'maxCostPerCall'").hasMessageContaining("such as 0.50, $0.50 or 12")
        .hasMessageContaining("(was 'a dollar')");
    assertThatThrownBy(() -> Pricing.from(settings("p", Map.of("maxCostPerCall", "-1")), "m"))
        .hasMessageContaining("'maxCostPerCall' must not be negative");
  }

  private static BigDecimal dec(String v) {
    return new BigDecimal(v);
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
