package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.MessageExchangedEvent;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.Message;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Consultations: a task's provider asks its collaborators through the ask tool (or the text protocol), each question
 * a costed, budgeted, retried call of its own, its answer back in the conversation.
 */
class CollaborationTest {
  private static final String TONE = "Does this tone match our brand voice?";
  private final Harness h = new Harness();

  private static Workflow draft(Consumer<dev.orchestrator.workflow.TaskSpec.Builder> more) {
    return Workflow.builder("post").task("draft", t -> {
      t.instructions("Draft a launch post.").provider("chatgpt").collaborators("claude");
      more.accept(t);
    }).build();
  }

  private List<String> thread() {
    return h.events.events(MessageExchangedEvent.class).stream()
        .map(e -> e.kind() + " " + e.from() + "->" + e.to() + ": " + e.text()).toList();
  }

  @Test
  void oneConsultationAnswersIntoTheConversationAndEveryCallIsCharged() {
    Scripted chatgpt = new Scripted("chatgpt", true).priced("0.01", "0.02").asks("claude", TONE)
        .text("A warmer launch post.");
    Scripted claude = new Scripted("claude", true).priced("0.03", "0.05").text("Too formal; be warmer.");
    try (Orchestrator o = h.builder().provider(chatgpt).provider(claude).build()) {
      Run run = o.submit("demo", draft(t -> { }));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      TaskRecord task = run.task("draft");
      assertThat(task.output()).isEqualTo("A warmer launch post.");
      assertThat(task.attempts()).hasSize(1);
      Attempt a = task.attempts().get(0);
      assertThat(a.cost()).isEqualTo(Money.usd("0.05"));
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.05"));
      assertThat(o.costReport("demo").reserved()).isEqualTo(Money.usd("0"));

      ProviderRequest first = chatgpt.requests().get(0);
      assertThat(first.tools()).extracting(t -> t.name()).containsExactly("ask");
      assertThat(first.system()).contains("claude").contains("at most 3 question(s)");
      ProviderRequest second = chatgpt.requests().get(1);
      assertThat(second.messages()).extracting(Message::role).containsExactly(Message.Role.SYSTEM,
          Message.Role.USER, Message.Role.ASSISTANT, Message.Role.TOOL);
      assertThat(second.messages().get(3).text()).isEqualTo("Too formal; be warmer.");
      assertThat(second.messages().get(3).answers().id()).isEqualTo(second.messages().get(2).toolCalls().get(0).id());
      ProviderRequest question = claude.requests().get(0);
      assertThat(question.prompt()).isEqualTo(TONE);
      assertThat(question.system()).contains("chatgpt");
      assertThat(question.tools()).isEmpty();

      assertThat(thread()).containsExactly("question chatgpt->claude: " + TONE,
          "answer claude->chatgpt: Too formal; be warmer.", "final chatgpt->task: A warmer launch post.");
      List<MessageExchangedEvent> messages = h.events.events(MessageExchangedEvent.class);
      assertThat(messages).extracting(MessageExchangedEvent::cost)
          .containsExactly(Money.usd("0.01"), Money.usd("0.03"), Money.usd("0.01"));
      assertThat(messages.get(1).usage().inputTokens()).isEqualTo(10);
    }
  }

  @Test
  void severalConsultationsOfSeveralCollaborators() {
    Scripted chatgpt = new Scripted("chatgpt", true).asks("claude", "Tone?").asks("gemini", "Facts?").text("Done.");
    Scripted claude = new Scripted("claude", true).text("Warmer.");
    Scripted gemini = new Scripted("gemini", true).text("Facts are right.");
    try (Orchestrator o = h.builder().provider(chatgpt).provider(claude).provider(gemini).build()) {
      Run run = o.submit("demo", draft(t -> t.collaborators("claude", "gemini")));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(thread()).containsExactly("question chatgpt->claude: Tone?", "answer claude->chatgpt: Warmer.",
          "question chatgpt->gemini: Facts?", "answer gemini->chatgpt: Facts are right.", "final chatgpt->task: Done.");
      assertThat(chatgpt.requests().get(2).messages()).hasSize(6);
    }
  }

  @Test
  void aQuestionToAProviderThatIsNotACollaboratorIsRefusedAndTheTaskGoesOn() {
    Scripted chatgpt = new Scripted("chatgpt", true).asks("gemini", "Tone?").text("Alone, then.");
    Scripted claude = new Scripted("claude", true);
    Scripted gemini = new Scripted("gemini", true);
    try (Orchestrator o = h.builder().provider(chatgpt).provider(claude).provider(gemini).build()) {
      Run run = o.submit("demo", draft(t -> { }));
      assertThat(run.task("draft").output()).isEqualTo("Alone, then.");
      assertThat(gemini.requests()).isEmpty();
      assertThat(thread()).containsExactly("question chatgpt->gemini: Tone?",
          "refusal engine->chatgpt: 'gemini' is not a collaborator of this task; ask one of [claude]",
          "final chatgpt->task: Alone, then.");
      assertThat(chatgpt.requests().get(1).messages().get(3).text()).startsWith("Not asked: 'gemini' is not");
    }
  }

  @Test
  void aLoopIsCutAtTheExchangeLimitAndTheModelIsToldSo() {
    Scripted chatgpt = new Scripted("chatgpt", true).asks("claude", "Tone?").asks("claude", "Again?")
        .text("Final.");
    Scripted claude = new Scripted("claude", true).otherwise(r -> claude().reply("Still warmer."));
    try (Orchestrator o = h.builder().provider(chatgpt).provider(claude).build()) {
      Run run = o.submit("demo", draft(t -> t.maxExchanges(1)));
      assertThat(run.task("draft").output()).isEqualTo("Final.");
      assertThat(claude.requests()).hasSize(1);
      assertThat(thread()).contains("refusal engine->chatgpt: the limit of 1 question(s) to other assistants is "
          + "reached: give your final answer now, without asking");
    }
  }

  private static Scripted claude() {
    return new Scripted("claude", true);
  }

  @Test
  void aProviderThatKeepsAskingPastTheLimitFailsItsAttempt() {
    Scripted chatgpt = new Scripted("chatgpt", true).otherwise(r -> claude().reply("unused"))
        .asks("claude", "1?").asks("claude", "2?").asks("claude", "3?").asks("claude", "4?");
    Scripted claude = new Scripted("claude", true);
    try (Orchestrator o = h.builder().provider(chatgpt).provider(claude).retryPolicy(RetryPolicy.none()).build()) {
      Run run = o.submit("demo", draft(t -> t.maxExchanges(1)));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.task("draft").error()).contains("kept asking");
      assertThat(claude.requests()).hasSize(1);
    }
  }

  @Test
  void aConsultationThatWouldBreakABudgetPausesTheTaskWhichResumesTheConversation() {
    Scripted chatgpt = new Scripted("chatgpt", true).priced("0.10", "0.10").asks("claude", TONE)
        .asks("claude", TONE).text("Adjusted.");
    Scripted claude = new Scripted("claude", true).priced("0.20", "0.50").text("Warmer.");
    try (Orchestrator o = h.builder().provider(chatgpt).provider(claude)
        .budget(Budget.of(BudgetScope.project("demo"), Money.usd("0.40"))).build()) {
      Run run = o.submit("demo", draft(t -> { }));
      assertThat(run.task("draft").state()).isEqualTo(TaskState.PAUSED);
      assertThat(claude.requests()).isEmpty();
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.10"));
      assertThat(o.costReport("demo").reserved()).isEqualTo(Money.usd("0"));
      assertThat(run.task("draft").attempts().get(0).errorKind()).isEqualTo(ErrorKind.BUDGET);

      o.setBudget(Budget.of(BudgetScope.project("demo"), Money.usd("2.00")));

      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.task("draft").output()).isEqualTo("Adjusted.");
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.50"));
      assertThat(run.task("draft").attempts()).hasSize(2);
    }
  }

  @Test
  void theAuthorsNextTurnThatWouldBreakABudgetPausesAndGoesOnFromTheAnswers() {
    Scripted chatgpt = new Scripted("chatgpt", true).priced("0.10", "0.20").asks("claude", TONE)
        .text("Adjusted.");
    Scripted claude = new Scripted("claude", true).priced("0.10", "0.10").text("Warmer.");
    try (Orchestrator o = h.builder().provider(chatgpt).provider(claude)
        .budget(Budget.of(BudgetScope.project("demo"), Money.usd("0.35"))).build()) {
      Run run = o.submit("demo", draft(t -> { }));
      // 0.20 reserved, 0.10 spent; 0.10 reserved and spent; the next turn's 0.20 over 0.35
      assertThat(run.task("draft").state()).isEqualTo(TaskState.PAUSED);
      assertThat(claude.requests()).hasSize(1);

      o.setBudget(Budget.of(BudgetScope.project("demo"), Money.usd("1.00")));

      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(claude.requests()).as("the answer was kept").hasSize(1);
      ProviderRequest resumed = chatgpt.requests().get(1);
      assertThat(resumed.messages()).extracting(Message::text).contains("Warmer.");
      assertThat(o.costReport("demo").spent()).isEqualTo(Money.usd("0.30"));
    }
  }

  @Test
  void aFailingCollaboratorIsRetriedThenFailedOverToTheNext() {
    Scripted chatgpt = new Scripted("chatgpt", true).asks("claude", TONE).asks("claude", "And now?")
        .text("Done.");
    Scripted claude = new Scripted("claude", true).fails(ErrorKind.SERVER).text("Warmer.")
        .fails(ErrorKind.AUTH);
    Scripted gemini = new Scripted("gemini", true).text("Gemini's view.");
    RetryPolicy retry = RetryPolicy.builder().maxAttempts(3).fixedDelay(Duration.ofSeconds(2)).jitter(0)
        .failoverAfter(2).build();
    try (Orchestrator o = h.builder().provider(chatgpt).provider(claude).provider(gemini).retryPolicy(retry)
        .build()) {
      Run run = o.submit("demo", draft(t -> t.collaborators("claude", "gemini")));
      assertThat(claude.requests()).hasSize(1);
      h.scheduler.advance(Duration.ofSeconds(2));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(claude.requests()).hasSize(3);
      assertThat(thread()).containsExactly("question chatgpt->claude: " + TONE, "answer claude->chatgpt: Warmer.",
          "question chatgpt->claude: And now?", "answer gemini->chatgpt: Gemini's view.", "final chatgpt->task: Done.");
      assertThat(chatgpt.requests().get(2).messages().get(5).text()).startsWith("(answered by gemini: claude could "
          + "not answer)");
    }
  }

  @Test
  void aProviderWithoutToolCallingUsesTheTextProtocol() {
    Scripted agent = new Scripted("chatgpt", false).text("ASK claude: " + TONE).text("Adjusted draft.");
    Scripted claude = new Scripted("claude", true).text("Warmer.");
    try (Orchestrator o = h.builder().provider(agent).provider(claude).build()) {
      Run run = o.submit("demo", draft(t -> { }));
      assertThat(run.task("draft").output()).isEqualTo("Adjusted draft.");
      assertThat(agent.requests().get(0).tools()).isEmpty();
      assertThat(agent.requests().get(0).system()).contains("ASK <assistant>: <your question>");
      assertThat(agent.requests().get(1).prompt()).isEqualTo("User:\nDraft a launch post.\n\nAssistant:\nASK claude: "
          + TONE + "\n\nUser:\nAnswer from claude:\nWarmer.");
      assertThat(thread()).containsExactly("question chatgpt->claude: " + TONE, "answer claude->chatgpt: Warmer.",
          "final chatgpt->task: Adjusted draft.");
    }
  }

  @Test
  void askingAutoLetsTheProjectsLearningStrategyChooseTheCollaborator() {
    Scripted chatgpt = new Scripted("chatgpt", true).asks("auto", TONE).text("Done.");
    Scripted claude = new Scripted("claude", true);
    Scripted gemini = new Scripted("gemini", true).text("Gemini's view.");
    dev.orchestrator.learn.LearningStrategy last = a -> {
      List<String> order = new java.util.ArrayList<>(a.candidates());
      java.util.Collections.reverse(order);
      return dev.orchestrator.learn.Choice.of(order, "the last one");
    };
    try (Orchestrator o = h.builder().provider(chatgpt).provider(claude).provider(gemini)
        .learningStrategy("last", last).build()) {
      Run run = o.submit("demo", draft(t -> t.collaborators("claude", "gemini")));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(claude.requests()).isEmpty();
      assertThat(thread()).containsExactly("question chatgpt->gemini: " + TONE, "answer gemini->chatgpt: Gemini's view.",
          "final chatgpt->task: Done.");
    }
  }

  @Test
  void aCollaboratorThatIsNotConfiguredIsRefusedAtSubmission() {
    try (Orchestrator o = h.builder().provider(new Scripted("chatgpt", true)).build()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> o.submit("demo", draft(t -> { })))
          .isInstanceOf(dev.orchestrator.workflow.InvalidWorkflowException.class)
          .hasMessageContaining("task 'draft' names collaborator 'claude', which is not configured (configured: "
              + "[chatgpt]): configure it or fix the name");
    }
  }

  @Test
  void aTaskWithoutCollaboratorsSendsThePlainPrompt() {
    Scripted chatgpt = new Scripted("chatgpt", true).text("Plain.");
    try (Orchestrator o = h.builder().provider(chatgpt).build()) {
      o.submit("demo", Workflow.builder("w").task("t", t -> t.instructions("Hi")).build()).completion().join();
      assertThat(chatgpt.requests().get(0).isConversation()).isFalse();
      assertThat(chatgpt.requests().get(0).tools()).isEmpty();
      assertThat(thread()).isEmpty();
    }
  }
}
