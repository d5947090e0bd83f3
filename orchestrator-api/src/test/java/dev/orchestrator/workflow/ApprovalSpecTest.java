package dev.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalSpecTest {
  @Test
  void aTaskCarriesItsApproval() {
    Approval a = Approval.builder(Approval.Stage.AFTER).timeout(Duration.ofHours(2))
        .onTimeout(Approval.OnTimeout.ESCALATE).escalateTo(List.of("ops")).build();
    TaskSpec t = TaskSpec.builder("a").approval(a).build();
    assertThat(t.approval()).isEqualTo(a);
    assertThat(t.toBuilder().build()).isEqualTo(t);
    assertThat(t).isNotEqualTo(TaskSpec.builder("a").build());
  }

  @Test
  void badValuesAreRefusedWithTheFix() {
    assertThatThrownBy(() -> Approval.stage("later")).hasMessage("approval must be 'before' or 'after' (was 'later')");
    assertThatThrownBy(() -> Approval.builder(Approval.Stage.BEFORE).timeout(Duration.ZERO))
        .hasMessageContaining("approval timeout must be positive (was PT0S)");
    assertThatThrownBy(() -> Approval.builder(Approval.Stage.BEFORE).defaultAnswer("maybe"))
        .hasMessageContaining("'approve' or 'reject' (was 'maybe')");
    assertThatThrownBy(() -> Approval.builder(Approval.Stage.BEFORE).onTimeout(Approval.OnTimeout.ESCALATE).build())
        .hasMessageContaining("escalateTo is empty");
  }

  @Test
  void answersAreReadByTheirFirstWord() {
    assertThat(Approval.approves("Approve")).isTrue();
    assertThat(Approval.approves("approve (timed out)")).isTrue();
    assertThat(Approval.approves("yes")).isTrue();
    assertThat(Approval.approves("reject")).isFalse();
    assertThat(Approval.approves("approvez")).isFalse();
  }
}
