package dev.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orchestrator.Priority;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule of a task, checked by {@link Workflow.Builder#build()}, names the field, the value and the fix. */
class TaskRulesTest {

  private static TaskSpec spec(String id, String title, String instructions, List<String> providers,
      String taskType, List<String> dependsOn, Integer maxOutputTokens) {
    return new TaskSpec(id, title, instructions, null, providers, taskType, Priority.MEDIUM, dependsOn, null, null,
        maxOutputTokens, null, null, null, null);
  }

  private static TaskSpec valid(String id) {
    return spec(id, "title", "do it", List.of(), "general", List.of(), null);
  }

  private static List<String> problems(TaskSpec... tasks) {
    Workflow.Builder b = Workflow.builder("w");
    for (TaskSpec t : tasks) {
      b.task(t);
    }
    InvalidWorkflowException e = catchThrowableOfType(InvalidWorkflowException.class, b::build);
    assertThat(e).as("build() refuses the workflow").isNotNull();
    return e.problems();
  }

  @Test
  void id() {
    assertThat(problems(spec(" ", "t", "i", List.of(), "general", List.of(), null))).containsExactly(
        "task ' ': id must not be blank: give every task an id (was ' ')");
    assertThat(problems(spec("a b", "t", "i", List.of(), "general", List.of(), null))).containsExactly(
        "task 'a b': id must be 1 to 100 letters, digits, '_' or '-' (was 'a b')");
    assertThat(problems(spec("x".repeat(101), "t", "i", List.of(), "general", List.of(), null))).singleElement()
        .asString().contains("id must be 1 to 100 letters").contains("(was 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...')");
    assertThatThrownBy(() -> TaskSpec.builder("a.b"))
        .hasMessage("task id must be 1 to 100 letters, digits, '_' or '-' (was 'a.b')");
  }

  @Test
  void title() {
    assertThat(problems(spec("a", "", "i", List.of(), "general", List.of(), null))).containsExactly(
        "task 'a': title must not be blank: give the task a title (was '')");
    assertThat(problems(spec("a", "t".repeat(501), "i", List.of(), "general", List.of(), null))).containsExactly(
        "task 'a': title must be at most 500 characters: keep it short and put the detail in the instructions"
            + " (was 'ttttttttttttttttttttttttttttttttttttt...', 501 characters)");
    assertThat(problems(TaskSpec.builder("b").title("t".repeat(501)).build())).singleElement().asString()
        .startsWith("task 'b': title must be at most 500 characters");
    assertThat(Workflow.builder("w").task("a", t -> t.title("t".repeat(500))).build().tasks()).hasSize(1);
  }

  @Test
  void instructions() {
    assertThat(problems(spec("a", "t", "\n", List.of(), "general", List.of(), null))).containsExactly(
        "task 'a': instructions must not be blank: give the task its prompt text (was '\n')");
  }

  @Test
  void providers() {
    assertThat(problems(spec("a", "t", "i", List.of("claude", " "), "general", List.of(), null))).containsExactly(
        "task 'a': providers[1] must not be blank: name a configured provider such as 'claude' (was ' ')");
  }

  @Test
  void taskType() {
    assertThat(problems(spec("a", "t", "i", List.of(), " ", List.of(), null))).containsExactly(
        "task 'a': taskType must not be blank: leave it out for 'general' or name the kind of work (was ' ')");
    assertThat(problems(spec("a", "t", "i", List.of(), "Code_Review", List.of(), null))).containsExactly(
        "task 'a': taskType must be 1 to 64 lower-case letters, digits, '_' or '-' (was 'Code_Review')");
    assertThat(TaskSpec.builder("a").taskType("Code_Review").build().taskType()).isEqualTo("code_review");
    assertThatThrownBy(() -> TaskSpec.builder("a").taskType("code review"))
        .hasMessage("task 'a': taskType must be 1 to 64 letters, digits, '_' or '-' (was 'code review')");
  }

  @Test
  void dependsOn() {
    assertThat(problems(valid("b"), spec("a", "t", "i", List.of(), "general", List.of("b", ""), null)))
        .containsExactly("task 'a': dependsOn[1] must not be blank: name the task to wait for (was '')");
    assertThat(problems(spec("a", "t", "i", List.of(), "general", List.of("a"), null))).containsExactly(
        "task 'a' depends on itself: remove 'a' from its dependsOn");
  }

  @Test
  void maxOutputTokens() {
    assertThat(problems(spec("a", "t", "i", List.of(), "general", List.of(), 0))).containsExactly(
        "task 'a': maxOutputTokens must be greater than 0 (was '0'): leave it out for the provider's default");
  }

  @Test
  void everyProblemOfEveryTaskIsListedInOrder() {
    assertThat(problems(
        spec("a", " ", " ", List.of(" "), "X", List.of(" "), -1),
        valid("b"),
        spec("c", "t", "i", List.of(), "general", List.of("ghost"), null)))
        .containsExactly(
            "task 'a': title must not be blank: give the task a title (was ' ')",
            "task 'a': instructions must not be blank: give the task its prompt text (was ' ')",
            "task 'a': providers[0] must not be blank: name a configured provider such as 'claude' (was ' ')",
            "task 'a': taskType must be 1 to 64 lower-case letters, digits, '_' or '-' (was 'X')",
            "task 'a': dependsOn[0] must not be blank: name the task to wait for (was ' ')",
            "task 'a': maxOutputTokens must be greater than 0 (was '-1'): leave it out for the provider's default",
            "task 'c' depends on unknown task 'ghost': add a task with that id or fix the name (known: [a, b, c])");
  }
}
