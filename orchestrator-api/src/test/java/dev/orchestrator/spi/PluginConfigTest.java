package dev.orchestrator.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PluginConfigTest {
  private static PluginConfig config(String... keyValues) {
    Map<String, String> props = new java.util.HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(keyValues[i], keyValues[i + 1]);
    }
    return new PluginConfig("Claude", "anthropic", props);
  }

  @Test
  void optionalIsTrimmedAndEmptyWhenAbsentOrBlank() {
    PluginConfig c = config("region", "  eu ", "blank", "  ");
    assertThat(c.optional("region")).contains("eu");
    assertThat(c.optional("blank")).isEmpty();
    assertThat(c.optional("missing")).isEqualTo(Optional.empty());
  }

  @Nested
  class Durations {
    @Test
    void readsEveryFormOfTheGrammar() {
      PluginConfig c = config("a", "2d", "b", "1h30m", "c", "PT30S", "d", " 500MS ");
      assertThat(c.duration("a", Duration.ZERO)).isEqualTo(Duration.ofDays(2));
      assertThat(c.duration("b", Duration.ZERO)).isEqualTo(Duration.ofMinutes(90));
      assertThat(c.duration("c", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
      assertThat(c.requireDuration("d")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void takesTheDefaultWhenAbsentOrBlank() {
      PluginConfig c = config("blank", " ");
      assertThat(c.duration("timeout", Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
      assertThat(c.duration("blank", Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
      assertThat(c.duration("timeout", Duration.ofSeconds(3), Duration.ZERO)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void namesTheInstanceThePropertyTheValueAndTheFix() {
      assertThatThrownBy(() -> config("timeout", "soon").duration("timeout", Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("plugin 'claude' (type anthropic) property 'timeout' must be a duration such as 500ms, 30s,"
              + " 10m, 1h30m or 2d (units ms, s, m, h, d) or ISO-8601 such as PT30S (was 'soon')");
      assertThatThrownBy(() -> config("timeout", "-5s").duration("timeout", Duration.ZERO))
          .hasMessageContaining("property 'timeout' must not be negative");
    }

    @Test
    void refusesZeroUnlessTheMinimumAllowsIt() {
      PluginConfig c = config("delay", "0s");
      assertThatThrownBy(() -> c.duration("delay", Duration.ofSeconds(1)))
          .hasMessage("plugin 'claude' (type anthropic) property 'delay' must be longer than zero, such as 500ms or"
              + " 30s (was '0s')");
      assertThatThrownBy(() -> c.requireDuration("delay")).hasMessageContaining("must be longer than zero");
      assertThat(c.duration("delay", Duration.ofSeconds(1), Duration.ZERO)).isZero();
    }

    @Test
    void refusesLessThanTheMinimum() {
      assertThatThrownBy(() -> config("lease", "500ms").duration("lease", Duration.ofSeconds(30),
          Duration.ofSeconds(1)))
          .hasMessage("plugin 'claude' (type anthropic) property 'lease' must be at least 1s (was '500ms')");
    }

    @Test
    void requireNamesTheMissingProperty() {
      assertThatThrownBy(() -> config().requireDuration("interval"))
          .hasMessageContaining("plugin 'claude' (type anthropic) needs the property 'interval'");
    }
  }

  @Nested
  class Amounts {
    @Test
    void readsDollarsExactly() {
      PluginConfig c = config("price", "$0.001", "cap", "12");
      assertThat(c.money("price", Money.ZERO)).isEqualTo(Money.usd("0.001"));
      assertThat(c.money("cap", Money.ZERO).amount()).hasToString("12");
      assertThat(c.money("missing", Money.usd("2"))).isEqualTo(Money.usd("2"));
    }

    @Test
    void refusesJunkAndNegativesByName() {
      assertThatThrownBy(() -> config("price", "cheap").money("price", Money.ZERO))
          .hasMessage("plugin 'claude' (type anthropic) property 'price' must be an amount of US dollars such as"
              + " 0.50, $0.50 or 12 (was 'cheap')");
      assertThatThrownBy(() -> config("price", "-1").money("price", Money.ZERO))
          .hasMessageContaining("property 'price' must not be negative");
    }
  }

  @Nested
  class Integers {
    @Test
    void readsWholeNumbersWithinTheRange() {
      PluginConfig c = config("port", " 2525 ", "n", "-3");
      assertThat(c.integer("port", 25, 1, 65535)).isEqualTo(2525);
      assertThat(c.integer("n", 0)).isEqualTo(-3);
      assertThat(c.integer("missing", 7, 1, 10)).isEqualTo(7);
    }

    @Test
    void refusesOtherTextAndValuesOutOfRange() {
      assertThatThrownBy(() -> config("port", "70000").integer("port", 25, 1, 65535))
          .hasMessage("plugin 'claude' (type anthropic) property 'port' must be a whole number from 1 to 65535"
              + " (was '70000')");
      assertThatThrownBy(() -> config("port", "2.5").integer("port", 25, 1, 65535))
          .hasMessageContaining("from 1 to 65535 (was '2.5')");
      assertThatThrownBy(() -> config("n", "many").integer("n", 0))
          .hasMessage("plugin 'claude' (type anthropic) property 'n' must be a whole number such as 3 (was 'many')");
      assertThatThrownBy(() -> config("n", "99999999999").integer("n", 0)).hasMessageContaining("(was '99999999999')");
      assertThatThrownBy(() -> config().integer("n", 0, 5, 1)).hasMessageContaining("min must be <= max");
    }
  }

  @Nested
  class Booleans {
    @Test
    void readsTrueAndFalseInAnyCase() {
      PluginConfig c = config("a", "TRUE", "b", "False", "c", " true ");
      assertThat(c.bool("a", false)).isTrue();
      assertThat(c.bool("b", true)).isFalse();
      assertThat(c.bool("c", false)).isTrue();
      assertThat(c.bool("missing", true)).isTrue();
    }

    @Test
    void refusesOtherWords() {
      for (String word : new String[] {"yes", "no", "on", "1", "t"}) {
        assertThatThrownBy(() -> config("stream", word).bool("stream", false))
            .hasMessage("plugin 'claude' (type anthropic) property 'stream' must be true or false (was '" + word
                + "')");
      }
    }
  }

  @Test
  void neverShowsTheValueOfASecretProperty() {
    String secret = "sk-live-abc123";
    PluginConfig c = config("apiKey", secret, "webhookTimeout", secret, "tokenBudget", secret, "passwordCost", secret,
        "secretFlag", secret);
    assertThatThrownBy(() -> c.duration("webhookTimeout", Duration.ZERO)).hasMessageContaining("(was '****')")
        .hasMessageNotContaining(secret);
    assertThatThrownBy(() -> c.integer("tokenBudget", 0)).hasMessageNotContaining(secret);
    assertThatThrownBy(() -> c.money("passwordCost", Money.ZERO)).hasMessageNotContaining(secret);
    assertThatThrownBy(() -> c.bool("secretFlag", false)).hasMessageNotContaining(secret);
    assertThatThrownBy(() -> c.integer("apiKey", 0, 1, 2)).hasMessageNotContaining(secret);
    assertThat(c.toString()).doesNotContain(secret);
  }
}
