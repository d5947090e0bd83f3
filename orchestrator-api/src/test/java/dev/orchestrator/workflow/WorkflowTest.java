package dev.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowTest {

  @Test
  void keepsTasksInTopologicalOrderStableByInsertion() {
    Workflow w = Workflow.builder("w")
        .task("edit", t -> t.dependsOn("draft"))
        .task("draft", t -> t.dependsOn("research"))
        .task("research", t -> t.instructions("Research {{topic}}"))
        .task("tweet", t -> t.instructions("Tweet"))
        .build();
    assertThat(w.tasks()).extracting(TaskSpec::id).containsExactly("research", "tweet", "draft", "edit");
    assertThat(w.parameters()).containsExactly("topic");
    assertThat(w.task("edit").instructions()).as("instructions default to the title, the title to the id")
        .isEqualTo("edit");
  }

  @Test
  void reportsACycleWithItsPath() {
    assertThatThrownBy(() -> Workflow.builder("w")
        .task("draft", t -> t.dependsOn("edit"))
        .task("edit", t -> t.dependsOn("draft"))
        .task("ok", t -> t.instructions("x"))
        .build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("dependsOn forms a cycle: draft -> edit -> draft")
        .hasMessageContaining("remove one of these dependencies");
  }

  @Test
  void writesACycleInRunOrderAsPipelinesAreWritten() {
    // 1 waits for 3, 3 for 2, 2 for 1: were it possible, 1 would run first, then 2, then 3.
    assertThatThrownBy(() -> Workflow.builder("w")
        .task("1", t -> t.dependsOn("3"))
        .task("2", t -> t.dependsOn("1"))
        .task("3", t -> t.dependsOn("2"))
        .build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("dependsOn forms a cycle: 1 -> 2 -> 3 -> 1 (each task would have to run before the"
            + " next, so none of them can start): remove one of these dependencies");
  }

  @Test
  void reportsEveryUnknownDependencyAtOnce() {
    InvalidWorkflowException e = (InvalidWorkflowException) org.assertj.core.api.Assertions.catchThrowable(
        () -> Workflow.builder("w")
            .task("a", t -> t.dependsOn("reserch"))
            .task("b", t -> t.dependsOn("ghost"))
            .build());
    assertThat(e.problems()).containsExactly(
        "task 'a' depends on unknown task 'reserch': add a task with that id or fix the name (known: [a, b])",
        "task 'b' depends on unknown task 'ghost': add a task with that id or fix the name (known: [a, b])");
    assertThat(e.workflow()).isEqualTo("w");
  }

  @Test
  void rejectsBuilderMisuseAtOnceNamingTheValue() {
    assertThatThrownBy(() -> Workflow.builder("w").task("a", t -> t.dependsOn("a")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task 'a' cannot depend on itself");
    assertThatThrownBy(() -> Workflow.builder("w").task("a b", t -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(was 'a b')");
    assertThatThrownBy(() -> Workflow.builder("w").task(" ", t -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task id must not be blank");
    assertThatThrownBy(() -> Workflow.builder("w").task(null, t -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(was null)");
    assertThatThrownBy(() -> Workflow.builder("w").task("a", t -> {}).task("a", t -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task id 'a' is used twice");
    assertThatThrownBy(() -> TaskSpec.builder("a").timeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive (was PT-1S)");
    assertThatThrownBy(() -> TaskSpec.builder("a").maxCost(Money.usd("-0.01")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxCost must not be negative");
    assertThatThrownBy(() -> TaskSpec.builder("a").providers("claude", "Claude"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> Workflow.builder("w").build())
        .isInstanceOf(InvalidWorkflowException.class).hasMessageContaining("it has no tasks");
    assertThatThrownBy(() -> Workflow.builder(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workflow name must not be blank");
  }

  @Test
  void anOutputPlaceholderMustNameAnUpstreamTask() {
    assertThatThrownBy(() -> Workflow.builder("w")
        .task("research", t -> t.instructions("r"))
        .task("edit", t -> t.instructions("Edit {{tasks.research.output}} and {{tasks.nope.output}}"))
        .build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("task 'edit' uses {{tasks.research.output}} but does not depend on 'research': "
            + "add dependsOn(\"research\")")
        .hasMessageContaining("there is no task 'nope'");
    Workflow ok = Workflow.builder("w")
        .task("research", t -> t.instructions("r"))
        .task("draft", t -> t.dependsOn("research"))
        .task("edit", t -> t.instructions("{{tasks.research.output}}").dependsOn("draft"))
        .build();
    assertThat(ok.tasks()).hasSize(3);
  }

  @Test
  void reusingABuilderNeverChangesAWorkflowAlreadyBuilt() {
    Workflow.Builder b = Workflow.builder("w").task("a", t -> t.instructions("x"));
    Workflow first = b.build();
    b.task("b", t -> t.instructions("y"));
    assertThat(first.tasks()).hasSize(1);
    assertThat(b.build().tasks()).hasSize(2);
  }

  @Test
  void missingParametersIgnoreDefaults() {
    Workflow w = Workflow.builder("w").defaultValue("tone", "warm")
        .task("a", t -> t.instructions("{{topic}} in a {{tone}} tone, {{input}}")).build();
    assertThat(w.parameters()).containsExactly("tone", "topic");
    assertThat(w.missingParameters(Map.of())).containsExactly("topic");
    assertThat(w.missingParameters(Map.of("topic", "x"))).isEmpty();
  }

  @Test
  void resolvesDependenciesToPositionsOnce() {
    Workflow w = Workflow.builder("w")
        .task("edit", t -> t.dependsOn("draft", "research"))
        .task("draft", t -> t.dependsOn("research"))
        .task("research", t -> t.instructions("r"))
        .build();
    assertThat(w.indexOf("research")).isZero();
    assertThat(w.indexOf("draft")).isEqualTo(1);
    assertThat(w.indexOf("edit")).isEqualTo(2);
    assertThat(w.indexOf("nope")).isEqualTo(-1);
    assertThat(w.task("nope")).isNull();
    assertThat(w.dependencyCount(0)).isZero();
    assertThat(w.dependencyCount(2)).isEqualTo(2);
    assertThat(w.dependency(2, 0)).isEqualTo(1);
    assertThat(w.dependency(2, 1)).isZero();
    assertThatThrownBy(() -> w.dependency(2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> w.dependencyCount(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void keepsParsedTextsOnlyWhereThereArePlaceholders() {
    Workflow w = Workflow.builder("w")
        .task("a", t -> t.instructions("plain"))
        .task("b", t -> t.title("About {{topic}}").instructions("Write {{topic}}").dependsOn("a"))
        .build();
    assertThat(w.promptIfTemplated(0)).isNull();
    assertThat(w.titleIfTemplated(0)).isNull();
    assertThat(w.prompt(0).text()).isEqualTo("plain");
    assertThat(w.promptIfTemplated(1).placeholders()).containsExactly("topic");
    assertThat(w.title(1).placeholders()).containsExactly("topic");
    Workflow plain = Workflow.builder("p").task("a", t -> t.instructions("x")).build();
    assertThat(plain.promptIfTemplated(0)).isNull();
    assertThat(plain.title(0).text()).isEqualTo("a");
  }

  @Test
  void anOutputPlaceholderMayNameAnyTaskUpstream() {
    Workflow w = Workflow.builder("w")
        .task("a", t -> t.instructions("a"))
        .task("side", t -> t.instructions("s"))
        .task("b", t -> t.dependsOn("a"))
        .task("c", t -> t.dependsOn("b", "side"))
        .task("d", t -> t.instructions("{{tasks.a.output}} {{tasks.side.output}}").dependsOn("c"))
        .build();
    assertThat(w.tasks()).hasSize(5);
    assertThatThrownBy(() -> Workflow.builder("w")
        .task("a", t -> t.instructions("a"))
        .task("b", t -> t.dependsOn("a"))
        .task("c", t -> t.instructions("{{tasks.b.output}}").dependsOn("a"))
        .build())
        .hasMessageContaining("task 'c' uses {{tasks.b.output}} but does not depend on 'b'");
  }
}
