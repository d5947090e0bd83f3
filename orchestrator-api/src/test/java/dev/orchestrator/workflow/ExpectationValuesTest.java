package dev.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The factories of ExpectedOutput and UpstreamContext check what they are given. */
class ExpectationValuesTest {
  @Test
  void anExpectedOutputIsNotBlankAndASchemaIsAJsonObject() {
    assertThatThrownBy(() -> ExpectedOutput.text(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected output must not be blank (was ' '): describe the output or give a schema");
    assertThatThrownBy(() -> ExpectedOutput.jsonSchema("[1]")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected output schema must be a JSON object such as {\"type\":\"object\"} (was '[1]')");
    assertThatThrownBy(() -> ExpectedOutput.text(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("content");
    assertThat(ExpectedOutput.jsonSchema(" {}").kind()).isEqualTo(ExpectedOutput.Kind.JSON_SCHEMA);
    assertThat(ExpectedOutput.text("a post")).isEqualTo(ExpectedOutput.text("a post"))
        .isNotEqualTo(ExpectedOutput.jsonSchema("{}")).hasToString("ExpectedOutput[kind=TEXT, content=a post]");
  }

  @Test
  void anIncludedContextHasABudgetOfAtLeastOneToken() {
    assertThatThrownBy(() -> UpstreamContext.parents(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("context maxTokens must be >= 1 (was 0): use UpstreamContext.none() to leave the"
            + " dependencies' outputs out");
    assertThat(UpstreamContext.parents(UpstreamContext.DEFAULT_MAX_TOKENS)).isSameAs(UpstreamContext.parents());
    assertThat(UpstreamContext.parents(500)).isEqualTo(UpstreamContext.parents(500))
        .hasSameHashCodeAs(UpstreamContext.parents(500)).isNotEqualTo(UpstreamContext.parents(501))
        .hasToString("UpstreamContext[included=true, maxTokens=500]");
    assertThat(UpstreamContext.none().included()).isFalse();
    assertThat(UpstreamContext.none().maxTokens()).isZero();
  }
}
