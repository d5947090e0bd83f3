package dev.orchestrator.spi.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallContextTest {
  @Test
  void namesTheTaskThatAsks() {
    CallContext c = CallContext.of("blog", "run-7", "draft", 2);
    assertThat(c.project()).isEqualTo("blog");
    assertThat(c.runId()).isEqualTo("run-7");
    assertThat(c.taskId()).isEqualTo("draft");
    assertThat(c.attempt()).isEqualTo(2);
    assertThat(c).hasToString("CallContext[project=blog, runId=run-7, taskId=draft, attempt=2]");
  }

  @Test
  void aContextMadeWithOfIsNeverCancelledAndKeepsNoAction() {
    CallContext c = CallContext.of("p", "r", "t", 1);
    AtomicInteger ran = new AtomicInteger();
    c.onCancel(ran::incrementAndGet);
    assertThat(c.cancelled()).isFalse();
    assertThat(ran).hasValue(0);
  }

  @Test
  void cancellingRunsEachActionOnceInOrderAndLaterActionsAtOnce() {
    CallCancellation signal = CallCancellation.create();
    CallContext c = context(signal);
    List<String> ran = new ArrayList<>();
    c.onCancel(() -> ran.add("first"));
    c.onCancel(() -> ran.add("second"));
    assertThat(c.cancelled()).isFalse();
    assertThat(ran).isEmpty();

    signal.cancel();
    signal.cancel(); // idempotent: nothing runs twice

    assertThat(c.cancelled()).isTrue();
    assertThat(signal.isCancelled()).isTrue();
    assertThat(ran).containsExactly("first", "second");
    c.onCancel(() -> ran.add("late"));
    assertThat(ran).as("registered after the cancellation: runs at once").containsExactly("first", "second", "late");
    assertThat(c).hasToString("CallContext[project=p, runId=r, taskId=t, attempt=1, cancelled]");
  }

  @Test
  void anActionThatThrowsDoesNotKeepTheOthersFromRunning() {
    CallCancellation signal = CallCancellation.create();
    CallContext c = context(signal);
    AtomicInteger ran = new AtomicInteger();
    c.onCancel(() -> {
      throw new IllegalStateException("first broke");
    });
    c.onCancel(ran::incrementAndGet);
    c.onCancel(() -> {
      throw new IllegalArgumentException("third broke");
    });

    assertThatThrownBy(signal::cancel).isInstanceOf(IllegalStateException.class).hasMessage("first broke")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .satisfies(s -> assertThat(s).hasMessage("third broke")));
    assertThat(ran).hasValue(1);
    assertThat(c.cancelled()).isTrue();
  }

  @Test
  void theSignalIsNotPartOfTheValue() {
    CallCancellation signal = CallCancellation.create();
    signal.cancel();
    assertThat(context(signal)).isEqualTo(CallContext.of("p", "r", "t", 1))
        .hasSameHashCodeAs(CallContext.of("p", "r", "t", 1));
    assertThat(CallContext.of("p", "r", "t", 2)).isNotEqualTo(CallContext.of("p", "r", "t", 1));
  }

  @Test
  void badValuesAreRefusedWithTheFix() {
    assertThatThrownBy(() -> CallContext.of(" ", "r", "t", 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("project must not be blank");
    assertThatThrownBy(() -> CallContext.of("p", "r", "t", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attempt must be >= 1 (was 0): attempts count from 1");
    assertThatThrownBy(() -> CallContext.of("p", null, "t", 1)).isInstanceOf(NullPointerException.class)
        .hasMessage("runId");
    assertThatThrownBy(() -> CallContext.builder().project("p").runId("r").attempt(1).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("taskId is required: call taskId(...)");
    assertThatThrownBy(() -> CallContext.builder().project("p").runId("r").taskId("t").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("attempt is required");
    assertThatThrownBy(() -> CallContext.of("p", "r", "t", 1).onCancel(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("action");
  }

  @Test
  void aBuilderCanBeReusedWithoutChangingWhatItBuilt() {
    CallContext.Builder b = CallContext.builder().project("p").runId("r").taskId("t").attempt(1);
    CallContext first = b.build();
    CallContext second = b.attempt(2).build();
    assertThat(first.attempt()).isEqualTo(1);
    assertThat(second.attempt()).isEqualTo(2);
  }

  private static CallContext context(CallCancellation signal) {
    return CallContext.builder().project("p").runId("r").taskId("t").attempt(1).cancellation(signal).build();
  }
}
