package dev.orchestrator.spi.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.CostBasis;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import org.junit.jupiter.api.Test;

/** Each value is checked where it is given, a reply survives a trip through its builder, and equality is by value. */
class ProviderResponseTest {
  private static final TokenUsage USAGE = TokenUsage.of(1200, 340);

  private static ProviderResponse full() {
    return ProviderResponse.builder().text("a draft").usage(USAGE).model("gpt-4o-mini").responseId("resp-1")
        .cost(Money.usd("0.0004")).costBasis(CostBasis.MEASURED).build();
  }

  @Test
  void eachSetterRefusesABadValueAtOnceNamingTheSettingAndTheValue() {
    ProviderResponse.Builder b = ProviderResponse.builder();
    assertThatThrownBy(() -> b.cost(Money.usd("-0.10"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cost must not be negative (was $-0.10): give what the call cost by the vendor's rules,"
            + " or Money.ZERO for a free call");
    assertThatThrownBy(() -> b.question(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("question must not be blank (was ' '): give the question a human is to answer,"
            + " or none for a reply with an answer");
    assertThatThrownBy(() -> b.text(null)).isInstanceOf(NullPointerException.class).hasMessage("text");
    assertThatThrownBy(() -> b.usage(null)).isInstanceOf(NullPointerException.class).hasMessage("usage");
    assertThatThrownBy(() -> b.cost(null)).isInstanceOf(NullPointerException.class).hasMessage("cost");
    assertThatThrownBy(() -> b.costBasis(null)).isInstanceOf(NullPointerException.class).hasMessage("costBasis");

    assertThat(b.build()).as("a refused value is never kept").isEqualTo(ProviderResponse.of("", TokenUsage.NONE));
  }

  @Test
  void theFactoriesRefuseWhatTheBuilderRefuses() {
    assertThatThrownBy(() -> ProviderResponse.askHuman("", USAGE)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("question must not be blank (was '')");
    assertThatThrownBy(() -> ProviderResponse.askHuman(null, USAGE)).isInstanceOf(NullPointerException.class)
        .hasMessage("question");
    assertThatThrownBy(() -> ProviderResponse.of(null, USAGE)).isInstanceOf(NullPointerException.class)
        .hasMessage("text");
    assertThatThrownBy(() -> ProviderResponse.of("ok", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("usage");
  }

  @Test
  void theDefaultsAreAFreeMeasuredAnswer() {
    ProviderResponse r = ProviderResponse.of("ok", USAGE);
    assertThat(r.text()).isEqualTo("ok");
    assertThat(r.usage()).isEqualTo(USAGE);
    assertThat(r.model()).isNull();
    assertThat(r.responseId()).isNull();
    assertThat(r.cost()).isEqualTo(Money.ZERO);
    assertThat(r.question()).isNull();
    assertThat(r.costBasis()).isEqualTo(CostBasis.MEASURED);

    ProviderResponse ask = ProviderResponse.askHuman("Which tone?", USAGE);
    assertThat(ask.question()).isEqualTo("Which tone?");
    assertThat(ask.text()).isEmpty();
    assertThat(ask.usage()).isEqualTo(USAGE);
  }

  @Test
  void aReplySurvivesATripThroughItsBuilderAndADerivedCopyLeavesTheOriginalAlone() {
    ProviderResponse original = full();
    assertThat(original.toBuilder().build()).isEqualTo(original).hasSameHashCodeAs(original);
    ProviderResponse asking = ProviderResponse.askHuman("Which tone?", USAGE);
    assertThat(asking.toBuilder().build()).isEqualTo(asking);

    ProviderResponse unpriced = original.toBuilder().cost(Money.ZERO).costBasis(CostBasis.UNPRICED).model(null).build();
    assertThat(unpriced.model()).isNull();
    assertThat(unpriced.costBasis()).isEqualTo(CostBasis.UNPRICED);
    assertThat(original.model()).isEqualTo("gpt-4o-mini");
    assertThat(original.costBasis()).isEqualTo(CostBasis.MEASURED);
  }

  @Test
  void aBuilderCanBeReusedWithoutChangingWhatItBuilt() {
    ProviderResponse.Builder b = ProviderResponse.builder().text("first");
    ProviderResponse first = b.build();
    ProviderResponse second = b.text("second").question("Why?").build();
    assertThat(first.text()).isEqualTo("first");
    assertThat(first.question()).isNull();
    assertThat(second.text()).isEqualTo("second");
    assertThat(second.question()).isEqualTo("Why?");
  }

  @Test
  void equalityIsByEveryValueWithAmountsComparedByValue() {
    ProviderResponse r = full();
    assertThat(r).isEqualTo(r.toBuilder().cost(Money.usd("0.00040")).build())
        .hasSameHashCodeAs(r.toBuilder().cost(Money.usd("0.00040")).build());
    assertThat(r).isNotEqualTo(r.toBuilder().text("another").build())
        .isNotEqualTo(r.toBuilder().usage(TokenUsage.of(1, 1)).build())
        .isNotEqualTo(r.toBuilder().model("gpt-4o").build())
        .isNotEqualTo(r.toBuilder().responseId(null).build())
        .isNotEqualTo(r.toBuilder().cost(Money.usd("0.01")).build())
        .isNotEqualTo(r.toBuilder().question("Why?").build())
        .isNotEqualTo(r.toBuilder().costBasis(CostBasis.ESTIMATED).build())
        .isNotEqualTo(null)
        .isNotEqualTo("a draft");
    assertThat(ProviderResponse.of("ok", TokenUsage.NONE)).hasToString("ProviderResponse[text=ok, usage="
        + TokenUsage.NONE + ", model=null, responseId=null, cost=$0.00, question=null, costBasis=MEASURED]");
  }
}
