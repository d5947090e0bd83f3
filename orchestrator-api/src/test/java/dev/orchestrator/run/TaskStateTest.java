package dev.orchestrator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Priority;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskStateTest {
  @Test
  void theTableAllowsTheLifecycleAndRejectsTheRest() {
    assertThat(TaskState.BLOCKED.canMoveTo(TaskState.READY)).isTrue();
    assertThat(TaskState.READY.canMoveTo(TaskState.RUNNING)).isTrue();
    assertThat(TaskState.RUNNING.canMoveTo(TaskState.SUCCEEDED)).isTrue();
    assertThat(TaskState.SUCCEEDED.successors()).isEmpty();
    assertThat(TaskState.BLOCKED.canMoveTo(TaskState.RUNNING)).isFalse();
    for (TaskState s : TaskState.values()) {
      assertThat(s.canMoveTo(s)).as("%s -> itself", s).isFalse();
    }
  }

  @Test
  void anIllegalTransitionThrowsNamingBothStates() {
    TaskRecord r = TaskRecord.created("p", "r", "draft", "Draft", Priority.MEDIUM, Instant.EPOCH);
    assertThatThrownBy(() -> r.moveTo(TaskState.SUCCEEDED, Instant.EPOCH))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("task 'draft' cannot move from BLOCKED to SUCCEEDED");
  }
}
