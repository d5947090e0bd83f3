package dev.orchestrator.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.workflow.Review;
import dev.orchestrator.workflow.UpstreamContext;
import dev.orchestrator.workflow.Workflow;
import org.junit.jupiter.api.Test;

/** A stored workflow reads back with every task field, so every engine that claims a run runs the same thing. */
class WorkflowCodecTest {
  @Test
  void contextsAndReviewsSurviveTheStore() {
    Workflow w = Workflow.builder("w").context(UpstreamContext.parents(2_000))
        .task("a", t -> t.instructions("A"))
        .task("b", t -> t.instructions("B").dependsOn("a").noContext()
            .review(Review.by("claude", "Is it {{tone}}?")))
        .defaultValue("tone", "warm")
        .build();

    Workflow read = WorkflowCodec.read(WorkflowCodec.write(w));

    assertThat(read.context()).isEqualTo(UpstreamContext.parents(2_000));
    assertThat(read.tasks()).containsExactlyElementsOf(w.tasks());
    assertThat(read.task("b").context()).isEqualTo(UpstreamContext.none());
    assertThat(read.task("a").context()).isNull();
    assertThat(read.task("b").review()).isEqualTo(Review.by("claude", "Is it {{tone}}?"));
    assertThat(read.parameters()).containsExactly("tone");
  }

  @Test
  void theDefaultContextIsNotWritten() {
    Workflow w = Workflow.builder("w").task("a", t -> t.instructions("A")).build();
    assertThat(WorkflowCodec.write(w)).doesNotContain("context");
    assertThat(WorkflowCodec.read(WorkflowCodec.write(w)).context()).isEqualTo(UpstreamContext.parents());
  }
}
