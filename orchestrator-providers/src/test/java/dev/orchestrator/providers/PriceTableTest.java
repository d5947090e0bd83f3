package dev.orchestrator.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.ModelPrice;
import dev.orchestrator.providers.http.PriceTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The price model: exact matching, every rate a vendor bills, and a table that refuses what it cannot read. */
class PriceTableTest {
  private static final PriceTable BUNDLED = PriceTable.bundled();

  private static ModelPrice price(String model) {
    return BUNDLED.find(model).orElseThrow(() -> new AssertionError("no price for " + model));
  }

  @Test
  void theTableNamesItsDateAndASourceForEveryEntry() throws IOException {
    String json;
    try (InputStream in = PriceTable.class.getResourceAsStream(PriceTable.RESOURCE)) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(json).contains("\"asOf\": \"2026-12-04\"");
    for (String model : new String[] {"gpt-5", "claude-sonnet-4-5", "gemini-2.5-pro", "sim-small"}) {
      assertThat(price(model).asOf()).as(model).isNotNull();
      assertThat(price(model).source()).as(model).isNotBlank();
    }
    assertThat(price("gpt-5").source()).isEqualTo("https://platform.openai.com/docs/pricing");
  }

  @Test
  void modelsMatchExactlyByNameAliasOrDatedSnapshotAndNothingElse() {
    assertThat(BUNDLED.entryOf("gpt-5-2025-08-07")).isEqualTo("gpt-5");
    assertThat(BUNDLED.entryOf("GPT-5")).isEqualTo("gpt-5");
    assertThat(BUNDLED.entryOf("claude-sonnet-4-5-20250929")).isEqualTo("claude-sonnet-4-5");
    assertThat(BUNDLED.entryOf("claude-3-5-haiku-latest")).isEqualTo("claude-3-5-haiku");
    assertThat(BUNDLED.entryOf("gpt-4o-audio-preview-2024-12-17")).isEqualTo("gpt-4o-audio-preview");
    // an entry of its own wins over the snapshot rule: the first audio preview was dearer
    assertThat(BUNDLED.entryOf("gpt-4o-audio-preview-2024-10-01")).isEqualTo("gpt-4o-audio-preview-2024-10-01");
    // a dearer variant is never priced as its cheaper family
    assertThat(BUNDLED.entryOf("gpt-5-pro")).isEqualTo("gpt-5-pro");
    assertThat(price("gpt-5-pro").output()).isEqualByComparingTo("120");
    assertThat(BUNDLED.entryOf("gpt-5-codex-max")).isNull();
    assertThat(BUNDLED.entryOf("gpt-4o-realtime-preview")).isNull();
    assertThat(BUNDLED.entryOf("openai/gpt-4o")).isNull();
    assertThat(BUNDLED.entryOf("gpt-4oz")).isNull();
  }

  @Test
  void eachPartOfTheInputAndOutputIsBilledAtItsOwnRate() {
    // claude-sonnet-4-5: input $3, 5-minute write $3.75, 1-hour write $6, read $0.30, output $15 per million.
    // 1,000 uncached + 2,000 read + 3,000 written (1,000 of them for an hour), 500 out:
    // 1000*3 + 2000*0.30 + 2000*3.75 + 1000*6 + 500*15 = 3000 + 600 + 7500 + 6000 + 7500 = 24,600 per million
    TokenUsage usage = TokenUsage.builder().input(6_000).cachedInput(2_000).cacheWrite(3_000).cacheWrite1h(1_000)
        .output(500).build();
    assertThat(price("claude-sonnet-4-5").cost(usage)).isEqualTo(Money.usd("0.0246"));
    // gpt-4o-audio-preview: text in $2.50, audio in $40, text out $10, audio out $80.
    // 100 text + 900 audio in; 50 text + 450 audio out:
    // 100*2.5 + 900*40 + 50*10 + 450*80 = 250 + 36000 + 500 + 36000 = 72,750 per million
    TokenUsage audio = TokenUsage.builder().input(1_000).audioInput(900).output(500).audioOutput(450).build();
    assertThat(price("gpt-4o-audio-preview").cost(audio)).isEqualTo(Money.usd("0.07275"));
  }

  @Test
  void aboveTheThresholdEveryTokenIsBilledAtTheLongContextTier() {
    ModelPrice sonnet = price("claude-sonnet-4-5");
    // exactly 200,000 input tokens: base rates. 200000*3 + 1000*15 = 615,000 per million
    assertThat(sonnet.cost(TokenUsage.of(200_000, 1_000))).isEqualTo(Money.usd("0.615"));
    // 200,001 input tokens, 100,000 of them cache reads: every token at the tier's rates, the cache rate included.
    // 100001*6 + 100000*0.60 + 1000*22.50 = 600006 + 60000 + 22500 = 682,506 per million
    TokenUsage longCall = TokenUsage.builder().input(200_001).cachedInput(100_000).output(1_000).build();
    assertThat(sonnet.cost(longCall)).isEqualTo(Money.usd("0.682506"));
    // a model that bills one rate at every length: 300000*2 + 1000*10 = 610,000 per million
    assertThat(price("claude-sonnet-5").cost(TokenUsage.of(300_000, 1_000))).isEqualTo(Money.usd("0.61"));
  }

  @Test
  void aBatchCallPaysTheBatchShare() {
    // gpt-5: 1,000,000 in at $1.25 + 100,000 out at $10 = $2.25; batch pays half
    assertThat(price("gpt-5").cost(TokenUsage.of(1_000_000, 100_000), true)).isEqualTo(Money.usd("1.125"));
    assertThat(price("gpt-5").cost(TokenUsage.of(1_000_000, 100_000))).isEqualTo(Money.usd("2.25"));
  }

  @Test
  void ratesLeftOutAreBilledAtTheRateTheVendorUsesInstead() {
    PriceTable t = PriceTable.parse("{\"models\": {\"m\": {\"input\": \"2\", \"output\": \"8\","
        + " \"cacheWrite\": \"2.5\"}}}", "test");
    ModelPrice m = t.find("m").orElseThrow();
    assertThat(m.base().cachedInput()).isEqualByComparingTo("2");
    assertThat(m.base().cacheWrite1h()).isEqualByComparingTo("2.5");
    assertThat(m.base().audioInput()).isEqualByComparingTo("2");
    assertThat(m.base().audioOutput()).isEqualByComparingTo("8");
    assertThat(m.batch()).isEqualByComparingTo("1");
  }

  @Test
  void unknownKeysAreRefusedByName() {
    assertThatThrownBy(() -> PriceTable.parse("{\"models\": {\"m\": {\"input\": \"2\", \"output\": \"8\","
        + " \"cached_input\": \"1\"}}}", "my-prices.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pricing table my-prices.json model 'm' has an unknown key 'cached_input'")
        .hasMessageContaining("cachedInput");
    assertThatThrownBy(() -> PriceTable.parse("{\"models\": {\"m\": {\"input\": \"2\", \"output\": \"8\","
        + " \"longContext\": {\"aboveInputTokens\": 200000, \"input\": \"4\", \"output\": \"12\", \"batch\": \"1\"}}}}",
        "t"))
        .hasMessageContaining("model 'm' longContext has an unknown key 'batch'");
    assertThatThrownBy(() -> PriceTable.parse("{\"modles\": {}}", "t")).hasMessageContaining("unknown key 'modles'");
    assertThatThrownBy(() -> PriceTable.parse("{\"currency\": \"EUR\", \"models\": {}}", "t"))
        .hasMessageContaining("must be in USD (was EUR)");
    assertThatThrownBy(() -> PriceTable.parse("{\"models\": {\"m\": {\"output\": \"8\"}}}", "t"))
        .hasMessageContaining("model 'm' needs \"input\"");
    assertThatThrownBy(() -> PriceTable.parse("{\"models\": {\"m\": {\"input\": \"-1\", \"output\": \"8\"}}}", "t"))
        .hasMessageContaining("model 'm' input must be a number >= 0").hasMessageContaining("(was '-1')");
    assertThatThrownBy(() -> PriceTable.parse("{\"models\": {\"m\": {\"input\": \"1\", \"output\": \"8\","
        + " \"batch\": \"1.5\"}}}", "t")).hasMessageContaining("batch must be a share above 0 and at most 1");
    assertThatThrownBy(() -> PriceTable.parse("{\"models\": {\"a\": {\"input\": \"1\", \"output\": \"8\","
        + " \"aliases\": [\"b\"]}, \"b\": {\"input\": \"1\", \"output\": \"8\"}}}", "t"))
        .hasMessageContaining("alias 'b' already names a model");
  }

  @Test
  void aUserFileReplacesWholeEntriesAndAddsModels(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, "{\"models\": {\"gpt-5\": {\"input\": \"1\", \"output\": \"2\"},"
        + " \"my-finetune\": {\"input\": \"3\", \"output\": \"6\", \"aliases\": [\"ft-latest\"]}}}");
    PriceTable t = BUNDLED.overlay(file);
    assertThat(t.find("gpt-5").orElseThrow().base().cachedInput()).isEqualByComparingTo("1");
    assertThat(t.find("gpt-5-chat-latest")).isEmpty(); // the replaced entry's aliases went with it
    assertThat(t.entryOf("ft-latest")).isEqualTo("my-finetune");
    assertThat(t.find("claude-sonnet-4-5")).isEqualTo(BUNDLED.find("claude-sonnet-4-5"));
  }
}
