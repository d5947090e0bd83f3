package dev.orchestrator.spi.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.workflow.ExpectedOutput;
import org.junit.jupiter.api.Test;

/** A guard's input needs every value but the expectation; a verdict's factories refuse what they must have. */
class GuardValuesTest {
  private static GuardInput.Builder input() {
    return GuardInput.builder().project("p").runId("r").taskId("t").taskType("general").provider("claude")
        .providerType("anthropic").text("hello");
  }

  @Test
  void anInputNamesTheFirstRequiredValueLeftOut() {
    assertThatThrownBy(() -> GuardInput.builder().project("p").build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("runId is required: call runId(...)");
    assertThatThrownBy(() -> input().text(null)).isInstanceOf(NullPointerException.class).hasMessage("text");
    assertThatThrownBy(() -> input().providerType(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("providerType");
  }

  @Test
  void anInputSurvivesItsBuilder() {
    GuardInput in = input().expected(ExpectedOutput.text("a haiku")).build();
    assertThat(in.expected()).isEqualTo(ExpectedOutput.text("a haiku"));
    assertThat(input().build().expected()).isNull();
    assertThat(in.toBuilder().build()).isEqualTo(in).hasSameHashCodeAs(in);
    assertThat(in.toBuilder().text("other").build().text()).isEqualTo("other");
    assertThat(input().build()).hasToString("GuardInput[project=p, runId=r, taskId=t, taskType=general,"
        + " provider=claude, providerType=anthropic, text=hello, expected=null]");
  }

  @Test
  void theVerdictFactoriesGiveTheirActionAndRefuseAMissingReplacement() {
    assertThat(Verdict.allow().action()).isEqualTo(Verdict.Action.ALLOW);
    assertThat(Verdict.allow().reason()).isEmpty();
    assertThat(Verdict.redact("a key", "[REDACTED]").replacement()).isEqualTo("[REDACTED]");
    assertThat(Verdict.repair("not JSON", "reply with JSON").action()).isEqualTo(Verdict.Action.REPAIR);
    assertThat(Verdict.flag("odd").replacement()).isNull();
    assertThat(Verdict.block("secret")).isEqualTo(Verdict.block("secret"))
        .hasToString("Verdict[action=BLOCK, reason=secret, replacement=null]");
    assertThatThrownBy(() -> Verdict.redact("a key", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("redacted");
    assertThatThrownBy(() -> Verdict.repair("x", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("instructions");
    assertThatThrownBy(() -> Verdict.flag(null)).isInstanceOf(NullPointerException.class).hasMessage("reason");
  }
}
