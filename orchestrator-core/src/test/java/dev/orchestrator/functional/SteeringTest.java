package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Priority;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.ProjectPausedEvent;
import dev.orchestrator.event.TaskPriorityChangedEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SteeringTest {
  private final Harness h = new Harness();

  private static Workflow three() {
    return Workflow.builder("w").task("a", t -> t.instructions("a")).task("b", t -> t.instructions("b"))
        .task("c", t -> t.instructions("c")).build();
  }

  @Test
  void changingAReadyTasksPriorityMovesItToItsNewLane() {
    FakeProvider p = FakeProvider.builder("p").scheduler(h.scheduler).latency(Duration.ofMinutes(1)).build();
    try (Orchestrator o = h.builder().provider(p, 1).build()) {
      Run run = o.submit("demo", three());
      run.changePriority("c", Priority.HIGH);
      assertThat(run.task("c").lane()).isEqualTo(Priority.HIGH);
      h.scheduler.advance(Duration.ofMinutes(5));
      assertThat(p.requests()).extracting(r -> r.prompt()).containsExactly("a", "c", "b");
      assertThat(h.events.events(TaskPriorityChangedEvent.class)).singleElement()
          .satisfies(e -> assertThat(e.to()).isEqualTo(Priority.HIGH));
    }
  }

  @Test
  void aPausedProjectHoldsItsTasksWhileOthersRun() {
    FakeProvider p = FakeProvider.builder("p").scheduler(h.scheduler).latency(Duration.ofMinutes(1)).build();
    try (Orchestrator o = h.builder().provider(p, 1).build()) {
      Run mine = o.submit("mine", three());
      Run theirs = o.submit("theirs", three());
      o.pauseProject("mine", "client review");
      assertThat(o.projectPause("mine")).contains("client review");
      assertThat(mine.task("b").state()).isEqualTo(TaskState.PAUSED);
      h.scheduler.advance(Duration.ofMinutes(10));
      assertThat(theirs.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(mine.task("a").state()).as("its running call finished").isEqualTo(TaskState.SUCCEEDED);
      assertThat(mine.task("b").state()).isEqualTo(TaskState.PAUSED);
      o.resumeProject("mine");
      h.scheduler.advance(Duration.ofMinutes(10));
      assertThat(mine.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(h.events.events(ProjectPausedEvent.class)).hasSize(1);
      assertThat(o.projects()).containsExactly("mine", "theirs");
    }
  }
}
