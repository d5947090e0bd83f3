package dev.orchestrator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.TokenUsage;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builders of the run values: what they require, what they refuse, and what withers keep. */
class RunValuesTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  @Test
  void aTaskRecordRequiresItsNamesAndTimeAndDefaultsToANewBlockedTask() {
    assertThatThrownBy(() -> TaskRecord.builder().project("p").runId("r").taskId("t").updatedAt(T0).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("title is required: call title(...) before build()");
    assertThatThrownBy(() -> TaskRecord.builder().lane(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("lane");
    TaskRecord built = TaskRecord.builder().project("p").runId("r").taskId("t").title("T").updatedAt(T0).build();
    assertThat(built).isEqualTo(TaskRecord.created("p", "r", "t", "T", Priority.MEDIUM, T0));
    assertThat(built.state()).isEqualTo(TaskState.BLOCKED);
    assertThat(built.attempts()).isEmpty();
  }

  @Test
  void aTaskRecordCopiesItsAttemptsAndItsWithersChangeOnlyTheirFields() {
    List<Attempt> attempts = new java.util.ArrayList<>(List.of(Attempt.started(1, "openai", T0)));
    TaskRecord t = TaskRecord.created("p", "r", "t", "T", Priority.HIGH, T0).toBuilder().attempts(attempts)
        .state(TaskState.RUNNING).provider("openai").build();
    attempts.clear();
    assertThat(t.attempts()).hasSize(1);
    TaskRecord failed = t.withError(ErrorKind.TIMEOUT, "slow");
    assertThat(failed.toBuilder().errorKind(null).error(null).build()).isEqualTo(t);
    assertThat(failed.toString()).startsWith("TaskRecord[project=p, runId=r, taskId=t, title=T, state=RUNNING")
        .contains("errorKind=TIMEOUT, error=slow");
    TaskRecord again = failed.moveTo(TaskState.READY, T0).start("claude", T0.plusSeconds(1), "prompt").cleared();
    assertThat(again.attempts()).hasSize(2);
    assertThat(again.lastAttempt().prompt()).isEqualTo("prompt");
    assertThat(again.errorKind()).isNull();
    assertThat(again.updatedAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void aRunRecordRequiresItsNamesAndCopiesItsParameters() {
    assertThatThrownBy(() -> RunRecord.builder().project("p").id("r").submittedAt(T0).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("workflow is required");
    Map<String, String> params = new HashMap<>(Map.of("topic", "tides"));
    RunRecord run = RunRecord.submitted("p", "r", "wf", params, T0);
    params.put("topic", "moon");
    assertThat(run.params()).containsEntry("topic", "tides");
    assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
    RunRecord done = run.withStatus(RunStatus.SUCCEEDED, T0.plusSeconds(5));
    assertThat(done.toBuilder().status(RunStatus.RUNNING).finishedAt(null).build()).isEqualTo(run)
        .hasSameHashCodeAs(run);
  }

  @Test
  void anAttemptRefusesANumberBelowOneAndRequiresItsProviderAndStart() {
    assertThatThrownBy(() -> Attempt.builder().number(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("number must be >= 1 (was 0)");
    assertThatThrownBy(() -> Attempt.builder().provider("p").startedAt(T0).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("number is required");
    assertThatThrownBy(() -> Attempt.builder().number(1).startedAt(T0).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("provider is required");
    Attempt a = Attempt.started(1, "openai", T0, "hi")
        .ended(T0.plusSeconds(2), Attempt.Outcome.FAILED, ErrorKind.TIMEOUT, "slow", TokenUsage.of(3, 4),
            Money.usd("0.01"), CostBasis.ESTIMATED);
    assertThat(a.prompt()).isEqualTo("hi");
    assertThat(a.costBasis()).isEqualTo(CostBasis.ESTIMATED);
    assertThat(a.toString()).isEqualTo("openai TIMEOUT");
    assertThat(a.toBuilder().build()).isEqualTo(a).hasSameHashCodeAs(a);
  }

  @Test
  void aQuestionRequiresItsTextAndIsOpenUntilAnswered() {
    assertThatThrownBy(() -> Question.builder().id("q").project("p").runId("r").taskId("t").askedAt(T0).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("text is required");
    Question q = Question.asked("q", "p", "r", "t", "Which tone?", T0);
    assertThat(q.isOpen()).isTrue();
    Question answered = q.answered("warm", T0.plusSeconds(1));
    assertThat(answered.isOpen()).isFalse();
    assertThat(answered.toBuilder().answer(null).answeredAt(null).build()).isEqualTo(q);
  }
}
