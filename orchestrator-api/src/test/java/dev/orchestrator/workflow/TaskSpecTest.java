package dev.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.policy.RetryPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule of a task is checked by the setter that receives the value, at once, and the message names the task, the
 * field, the value and the fix; a task that breaks a rule cannot be built, with or without a validator.
 */
class TaskSpecTest {

  @Test
  void id() {
    assertThatThrownBy(() -> TaskSpec.builder(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must not be blank (was ' '): give every task an id");
    assertThatThrownBy(() -> TaskSpec.builder(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must not be blank (was null): give every task an id");
    assertThatThrownBy(() -> TaskSpec.builder("a.b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must be 1 to 100 letters, digits, '_' or '-' (was 'a.b'): such as 'draft' or 'step_2'");
    assertThatThrownBy(() -> TaskSpec.builder("x".repeat(101))).hasMessageStartingWith(
        "task id must be 1 to 100 letters, digits, '_' or '-' (was 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...')");
    assertThat(TaskSpec.builder("x".repeat(100)).build().id()).hasSize(100);
    assertThat(TaskSpec.builder("Step_2-b").build().id()).as("kept as written").isEqualTo("Step_2-b");
  }

  @Test
  void title() {
    assertThatThrownBy(() -> TaskSpec.builder("a").title("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a': title must not be blank (was ''): give the task a title, or leave it out to use the id");
    assertThatThrownBy(() -> TaskSpec.builder("a").title("t".repeat(501)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a': title must be at most 500 characters (was 'ttttttttttttttttttttttttttttttttttttt...',"
            + " 501 characters): keep it short and put the detail in the instructions");
    assertThat(TaskSpec.builder("a").title("t".repeat(500)).build().title()).hasSize(500);
    assertThat(TaskSpec.builder("a").build().title()).as("the id unless set").isEqualTo("a");
  }

  @Test
  void instructions() {
    assertThatThrownBy(() -> TaskSpec.builder("a").instructions("\n")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a': instructions must not be blank (was '\n'): give the task its prompt text, or leave"
            + " them out to use the title");
    assertThat(TaskSpec.builder("a").title("Research").build().instructions()).as("the title unless set")
        .isEqualTo("Research");
  }

  @Test
  void systemAndQuestion() {
    assertThatThrownBy(() -> TaskSpec.builder("a").system(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a': system must not be blank (was ' '): give the system prompt, or leave it out");
    assertThatThrownBy(() -> TaskSpec.builder("a").question(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a': question must not be blank (was null): ask the question, or leave it out");
  }

  @Test
  void providers() {
    assertThatThrownBy(() -> TaskSpec.builder("a").providers("claude", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a': provider name must not be blank (was ' '): name a configured provider such as"
            + " 'claude'");
    assertThatThrownBy(() -> TaskSpec.builder("a").provider("")).hasMessageStartingWith(
        "task 'a': provider name must not be blank (was '')");
    assertThatThrownBy(() -> TaskSpec.builder("a").providers("claude", " Claude"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a': provider ' Claude' is listed twice: name each candidate once");
    TaskSpec.Builder b = TaskSpec.builder("a").providers("Gemini ", "CLAUDE");
    assertThatThrownBy(() -> b.providers("x", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(b.build().providers()).as("trimmed, in lower case, and untouched by the refused call")
        .containsExactly("gemini", "claude");
    assertThat(b.provider("ChatGPT").build().providers()).containsExactly("chatgpt");
  }

  @Test
  void taskType() {
    assertThatThrownBy(() -> TaskSpec.builder("a").taskType(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a': taskType must not be blank (was ' '): leave it out for 'general' or name the kind of"
            + " work");
    assertThatThrownBy(() -> TaskSpec.builder("a").taskType("code review"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a': taskType must be 1 to 64 letters, digits, '_' or '-' (was 'code review'): such as"
            + " 'code_review'");
    assertThatThrownBy(() -> TaskSpec.builder("a").taskType("x".repeat(65)))
        .hasMessageStartingWith("task 'a': taskType must be 1 to 64 letters");
    assertThat(TaskSpec.builder("a").taskType("Code_Review").build().taskType()).isEqualTo("code_review");
    assertThat(TaskSpec.builder("a").build().taskType()).isEqualTo(TaskSpec.DEFAULT_TASK_TYPE);
  }

  @Test
  void dependsOn() {
    assertThatThrownBy(() -> TaskSpec.builder("a").dependsOn("b", "")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a': dependsOn must not hold a blank id (was ''): name the task to wait for");
    assertThatThrownBy(() -> TaskSpec.builder("a").dependsOn("a")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a' cannot depend on itself: remove 'a' from its dependsOn");
    TaskSpec.Builder b = TaskSpec.builder("a").dependsOn("b");
    assertThatThrownBy(() -> b.dependsOn("c", "a")).isInstanceOf(IllegalArgumentException.class);
    assertThat(b.dependsOn("b", "d").build().dependsOn()).as("a refused call adds nothing; a repeated id is kept once")
        .containsExactly("b", "d");
  }

  @Test
  void limits() {
    assertThatThrownBy(() -> TaskSpec.builder("a").timeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a': timeout must be positive (was PT-1S): use for example Duration.ofMinutes(5)");
    assertThatThrownBy(() -> TaskSpec.builder("a").timeout(Duration.ZERO)).hasMessageContaining("(was PT0S)");
    assertThatThrownBy(() -> TaskSpec.builder("a").timeout(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("timeout");
    assertThatThrownBy(() -> TaskSpec.builder("a").maxCost(Money.usd("-0.01")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("task 'a': maxCost must not be negative (was ")
        .hasMessageEndingWith("): give the most the task may spend, such as Money.usd(\"0.50\")");
    assertThat(TaskSpec.builder("a").maxCost(Money.ZERO).build().maxCost()).isEqualTo(Money.ZERO);
    assertThatThrownBy(() -> TaskSpec.builder("a").maxOutputTokens(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'a': maxOutputTokens must be >= 1 (was 0): leave it out for the provider's default");
  }

  @Test
  void valuesThatCheckThemselvesAreOnlyRequired() {
    assertThatThrownBy(() -> TaskSpec.builder("a").priority(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("priority");
    assertThatThrownBy(() -> TaskSpec.builder("a").expectedOutput(null)).hasMessage("expectedOutput");
    assertThatThrownBy(() -> TaskSpec.builder("a").retry(null)).hasMessage("retry");
    assertThatThrownBy(() -> TaskSpec.builder("a").review(null)).hasMessage("review");
    assertThatThrownBy(() -> TaskSpec.builder("a").context(null)).hasMessage("context");
  }

  @Test
  void aTaskEqualsItsCopyAndTheSameTaskBuiltInAWorkflow() {
    TaskSpec t = TaskSpec.builder("draft").title("Draft").instructions("Draft {{topic}}").system("Be brief")
        .providers("claude", "chatgpt").taskType("writing").priority(Priority.HIGH).dependsOn("research")
        .timeout(Duration.ofMinutes(5)).maxCost(Money.usd("0.50")).maxOutputTokens(800)
        .expectedOutput(ExpectedOutput.text("a post")).question("Which tone?").retry(RetryPolicy.none())
        .review(Review.by("gemini", "Is it clear?")).noContext().build();

    assertThat(t.toBuilder().build()).isEqualTo(t).hasSameHashCodeAs(t).hasToString(t.toString());
    assertThat(t.toBuilder().maxOutputTokens(900).build()).isNotEqualTo(t);
    Workflow w = Workflow.builder("w").task("research", r -> r.instructions("Research {{topic}}"))
        .task("draft", d -> d.noContext().review(Review.by("gemini", "Is it clear?")).retry(RetryPolicy.none())
            .question("Which tone?").expectedOutput(ExpectedOutput.text("a post")).maxOutputTokens(800)
            .maxCost(Money.usd("0.50")).timeout(Duration.ofMinutes(5)).dependsOn("research")
            .priority(Priority.HIGH).taskType("Writing").providers("Claude", "ChatGPT").system("Be brief")
            .instructions("Draft {{topic}}").title("Draft"))
        .build();
    assertThat(w.task("draft")).as("set in another order, with other cases").isEqualTo(t);
    assertThat(t.providers()).isEqualTo(List.of("claude", "chatgpt"));
    assertThat(t.context()).isEqualTo(UpstreamContext.none());
  }

  @Test
  void reusingABuilderNeverChangesATaskAlreadyBuilt() {
    TaskSpec.Builder b = TaskSpec.builder("a").providers("claude").dependsOn("b");
    TaskSpec first = b.build();

    b.providers("gemini").dependsOn("c").title("changed");

    assertThat(first.providers()).containsExactly("claude");
    assertThat(first.dependsOn()).containsExactly("b");
    assertThat(first.title()).isEqualTo("a");
    assertThatThrownBy(() -> first.providers().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> first.dependsOn().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
