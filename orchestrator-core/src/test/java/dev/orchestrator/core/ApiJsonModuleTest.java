package dev.orchestrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.ProviderResponse;
import org.junit.jupiter.api.Test;

class ApiJsonModuleTest {
  private final ObjectMapper json = JsonMapper.builder().addModule(new ApiJsonModule())
      .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule()).build();

  @Test
  void aFinalValueClassOfTheApiIsWrittenAsItsFieldsInTheirOrder() throws Exception {
    ProviderResponse reply = ProviderResponse.builder().text("hi").usage(TokenUsage.of(3, 4)).model("m").build();

    String written = json.writeValueAsString(reply);

    assertThat(written).startsWith("{\"text\":\"hi\",\"usage\":{").contains("\"model\":\"m\"", "\"question\":null")
        .doesNotContain("NONE");
  }

  @Test
  void publicIsGettersFollowTheFieldsAsOnRecords() throws Exception {
    String written = json.writeValueAsString(dev.orchestrator.run.Question.asked("q-1", "p", "r", "t", "Which tone?",
        java.time.Instant.EPOCH));

    assertThat(written).contains("\"text\":\"Which tone?\"").endsWith(",\"open\":true}");
  }

  @Test
  void moneyIsItsAmountAndCurrencyAndClassesOutsideTheApiKeepJacksonsRules() throws Exception {
    assertThat(json.writeValueAsString(Money.usd("1.5"))).isEqualTo("{\"amount\":1.5,\"currency\":\"USD\"}");
    assertThat(json.writeValueAsString(new Bean())).isEqualTo("{\"visible\":1}");
    assertThat(ApiJsonModule.isApiValueClass(ProviderResponse.class)).isTrue();
    assertThat(ApiJsonModule.isApiValueClass(Money.class)).isFalse();
    assertThat(ApiJsonModule.isApiValueClass(Bean.class)).isFalse();
  }

  /** A class outside the API: only its getter is a property. */
  static final class Bean {
    @SuppressWarnings("unused")
    private final int hidden = 2;

    public int getVisible() {
      return 1;
    }
  }
}
