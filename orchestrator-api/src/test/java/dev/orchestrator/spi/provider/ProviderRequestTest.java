package dev.orchestrator.spi.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.workflow.ExpectedOutput;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each value is checked where it is given, the prompt is required, and a request survives its builder. */
class ProviderRequestTest {
  @Test
  void eachSetterRefusesABadValueAtOnceNamingTheSettingAndTheValue() {
    ProviderRequest.Builder b = ProviderRequest.builder().prompt("hi");
    assertThatThrownBy(() -> b.maxOutputTokens(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxOutputTokens must be >= 1 (was 0): give the most output tokens wanted, or null for the"
            + " provider's default");
    assertThatThrownBy(() -> b.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("timeout must be positive (was PT0S)");
    assertThatThrownBy(() -> b.taskType(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("taskType must not be blank (was ' ')");
    assertThatThrownBy(() -> b.taskType(null)).isInstanceOf(NullPointerException.class).hasMessage("taskType");
    assertThatThrownBy(() -> b.prompt(null)).isInstanceOf(NullPointerException.class).hasMessage("prompt");

    assertThat(b.build()).as("a refused value is never kept").isEqualTo(ProviderRequest.of("hi"));
  }

  @Test
  void aPromptIsRequired() {
    assertThatThrownBy(() -> ProviderRequest.builder().taskType("code").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("prompt is required: call prompt(...) with the text to send");
  }

  @Test
  void ofIsAPlainGeneralPromptAndWithPromptKeepsTheRest() {
    ProviderRequest plain = ProviderRequest.of("hi");
    assertThat(plain.taskType()).isEqualTo("general");
    assertThat(plain.system()).isNull();
    assertThat(plain.maxOutputTokens()).isNull();
    assertThat(plain.expectedOutput()).isNull();
    assertThat(plain.timeout()).isNull();

    ProviderRequest full = ProviderRequest.builder().prompt("a").system("terse").maxOutputTokens(200)
        .expectedOutput(ExpectedOutput.jsonSchema("{}")).taskType("writing").timeout(Duration.ofSeconds(30))
        .build();
    ProviderRequest changed = full.withPrompt("b");
    assertThat(changed.prompt()).isEqualTo("b");
    assertThat(changed.toBuilder().prompt("a").build()).isEqualTo(full).hasSameHashCodeAs(full);
    assertThat(full.toBuilder().system(null).build().system()).isNull();
    assertThat(full).hasToString("ProviderRequest[prompt=a, system=terse, maxOutputTokens=200, expectedOutput="
        + "ExpectedOutput[kind=JSON_SCHEMA, content={}], taskType=writing, timeout=PT30S]");
  }
}
