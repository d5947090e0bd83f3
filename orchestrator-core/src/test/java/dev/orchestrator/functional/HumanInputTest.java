package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.util.List;
import org.junit.jupiter.api.Test;

class HumanInputTest {
  private final Harness h = new Harness();

  @Test
  void aTaskWithAQuestionWaitsForTheAnswerWhichFillsItsPrompt() {
    FakeProvider p = FakeProvider.echo("p");
    try (Orchestrator o = h.builder().provider(p).build()) {
      Workflow w = Workflow.builder("w")
          .task("tone", t -> t.instructions("Write in a {{input}} tone").question("Which tone?")).build();
      Run run = o.submit("demo", w);
      assertThat(run.task("tone").state()).isEqualTo(TaskState.AWAITING_INPUT);
      List<Question> open = o.questions("demo");
      assertThat(open).singleElement().satisfies(q -> {
        assertThat(q.text()).isEqualTo("Which tone?");
        assertThat(q.taskId()).isEqualTo("tone");
      });
      assertThat(o.questions("other")).isEmpty();
      assertThat(p.callCount()).isZero();

      o.answer(open.get(0).id(), "playful");

      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(p.requests().get(0).prompt()).isEqualTo("Write in a playful tone");
      assertThat(run.task("tone").question().answer()).isEqualTo("playful");
      assertThat(o.questions("demo")).isEmpty();
      assertThat(h.events.events(InputRequestedEvent.class)).hasSize(1);
    }
  }

  @Test
  void aProviderCanAskAndIsCalledAgainWithTheAnswer() {
    FakeProvider p = FakeProvider.builder("p").script(Reply.ask("Which audience?"), Reply.text("done")).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("Write a post")).build());
      assertThat(run.task("a").state()).isEqualTo(TaskState.AWAITING_INPUT);
      o.answer(o.questions("demo").get(0).id(), "engineers");
      assertThat(run.completion().join().task("a").output()).isEqualTo("done");
      assertThat(p.requests().get(1).prompt())
          .isEqualTo("Write a post\n\nQuestion: Which audience?\nAnswer: engineers");
      assertThat(h.events.states("a")).containsExactly(TaskState.READY, TaskState.RUNNING,
          TaskState.AWAITING_INPUT, TaskState.READY, TaskState.RUNNING, TaskState.SUCCEEDED);
    }
  }

  @Test
  void unknownAnsweredOrBlankAnswersAreRejected() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).build()) {
      o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x").question("ok?")).build());
      String id = o.questions("demo").get(0).id();
      assertThatThrownBy(() -> o.answer(id, " ")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("answer must not be blank");
      assertThatThrownBy(() -> o.answer("q-nope", "yes")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("there is no open question q-nope");
      o.answer(id, "yes");
      assertThatThrownBy(() -> o.answer(id, "again")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already answered");
    }
  }

  @Test
  void cancellingATaskThatWaitsForInputClosesItsQuestion() {
    try (Orchestrator o = h.builder().provider(FakeProvider.echo("p")).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x").question("ok?")).build());
      run.cancelTask("a", "alice", "never mind");
      assertThat(o.questions("demo")).isEmpty();
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.CANCELLED);
    }
  }
}
