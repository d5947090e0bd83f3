package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Priority;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.TaskPriorityBoostedEvent;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PriorityTest {
  private final Harness h = new Harness();

  @Test
  void higherLanesAreServedFirstAndFifoWithinALane() {
    FakeProvider p = FakeProvider.builder("p").scheduler(h.scheduler).latency(Duration.ofMinutes(1)).build();
    try (Orchestrator o = h.builder().provider(p, 1).build()) {
      o.submit("demo", Workflow.builder("block").task("first", t -> t.instructions("first")).build());
      Workflow w = Workflow.builder("w")
          .task("low1", t -> t.instructions("low1").priority(Priority.LOW))
          .task("med1", t -> t.instructions("med1"))
          .task("high1", t -> t.instructions("high1").priority(Priority.HIGH))
          .task("low2", t -> t.instructions("low2").priority(Priority.LOW))
          .task("high2", t -> t.instructions("high2").priority(Priority.HIGH))
          .build();
      o.submit("demo", w);
      h.scheduler.advance(Duration.ofMinutes(10));
      assertThat(p.requests()).extracting(r -> r.prompt())
          .containsExactly("first", "high1", "high2", "med1", "low1", "low2");
    }
  }

  @Test
  void aTaskWaitingLongerThanTheBoostIntervalMovesUpALane() {
    FakeProvider p = FakeProvider.builder("p").scheduler(h.scheduler).latency(Duration.ofHours(10)).build();
    try (Orchestrator o = h.builder().provider(p, 1).build()) {
      o.submit("demo", high("h0"));
      o.submit("demo", Workflow.builder("w").task("old", t -> t.instructions("old")).build());
      // A new HIGH task arrives every 10 hours, so the HIGH lane never empties: without aging 'old' would starve.
      for (int i = 1; i <= 5; i++) {
        h.scheduler.advance(Duration.ofHours(5));
        o.submit("demo", high("h" + i));
        h.scheduler.advance(Duration.ofHours(5));
      }
      h.scheduler.advance(Duration.ofHours(30));
      // At 30h 'old' has waited 30h >= 24h: it joins the HIGH lane behind h3, ahead of every later HIGH task.
      assertThat(p.requests()).extracting(r -> r.prompt())
          .containsExactly("h0", "h1", "h2", "h3", "old", "h4", "h5");
      assertThat(h.events.events(TaskPriorityBoostedEvent.class)).singleElement().satisfies(e -> {
        assertThat(e.taskId()).isEqualTo("old");
        assertThat(e.from()).isEqualTo(Priority.MEDIUM);
        assertThat(e.to()).isEqualTo(Priority.HIGH);
      });
    }
  }

  private static Workflow high(String id) {
    return Workflow.builder(id).task(id, t -> t.instructions(id).priority(Priority.HIGH)).build();
  }
}
