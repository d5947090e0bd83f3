package dev.orchestrator.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.workflow.Review;
import dev.orchestrator.workflow.UpstreamContext;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.List;
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
  void retryPoliciesSurviveTheStoreWithEveryField() {
    RetryPolicy patient = RetryPolicy.builder().maxAttempts(7).backoff(Duration.ofSeconds(5), Duration.ofMinutes(3))
        .factor(1.5).jitter(0.25).retryOn(ErrorKind.TIMEOUT, ErrorKind.SERVER).attemptTimeout(Duration.ofMinutes(2))
        .failoverAfter(3).build();
    RetryPolicy none = RetryPolicy.builder().retryOn(List.of()).build();
    Workflow w = Workflow.builder("w")
        .task("a", t -> t.instructions("A").retry(patient))
        .task("b", t -> t.instructions("B").retry(none))
        .task("c", t -> t.instructions("C").retry(RetryPolicy.ofDefaults()))
        .build();

    Workflow read = WorkflowCodec.read(WorkflowCodec.write(w));

    assertThat(read.task("a").retry()).isEqualTo(patient);
    assertThat(read.task("b").retry()).isEqualTo(none);
    assertThat(read.task("c").retry()).isEqualTo(RetryPolicy.ofDefaults());
  }

  @Test
  void collaboratorsAndTheirLimitSurviveTheStore() {
    Workflow w = Workflow.builder("w")
        .task("a", t -> t.instructions("A").collaborators("claude", "gemini").maxExchanges(5))
        .task("b", t -> t.instructions("B"))
        .build();

    Workflow read = WorkflowCodec.read(WorkflowCodec.write(w));

    assertThat(read.tasks()).containsExactlyElementsOf(w.tasks());
    assertThat(read.task("a").collaborators()).containsExactly("claude", "gemini");
    assertThat(read.task("a").maxExchanges()).isEqualTo(5);
    assertThat(read.task("b").collaborators()).isEmpty();
  }

  @Test
  void runsOfOneStoredDefinitionShareOneWorkflowAndOtherDefinitionsGetTheirOwn() {
    String one = WorkflowCodec.write(Workflow.builder("shared-one").task("a", t -> t.instructions("A")).build());
    String two = WorkflowCodec.write(Workflow.builder("shared-two").task("a", t -> t.instructions("B")).build());

    Workflow first = WorkflowCodec.readShared(one);

    assertThat(WorkflowCodec.readShared(new String(one.toCharArray()))).isSameAs(first);
    assertThat(WorkflowCodec.readShared(two)).isNotSameAs(first).satisfies(w -> assertThat(w.name())
        .isEqualTo("shared-two"));
    assertThat(first.tasks().get(0).instructions()).isEqualTo("A");
  }

  @Test
  void theDefaultContextIsNotWritten() {
    Workflow w = Workflow.builder("w").task("a", t -> t.instructions("A")).build();
    assertThat(WorkflowCodec.write(w)).doesNotContain("context");
    assertThat(WorkflowCodec.read(WorkflowCodec.write(w)).context()).isEqualTo(UpstreamContext.parents());
  }

  @Test
  void anAutoTaskKeepsItsFlagAndItsCandidates() {
    Workflow w = Workflow.builder("w").task("a", t -> t.instructions("A").provider("auto"))
        .task("b", t -> t.instructions("B").providers("auto", "claude", "gemini"))
        .task("c", t -> t.instructions("C").providers("claude")).build();

    Workflow read = WorkflowCodec.read(WorkflowCodec.write(w));

    assertThat(read.tasks()).containsExactlyElementsOf(w.tasks());
    assertThat(read.task("a").autoProvider()).isTrue();
    assertThat(read.task("a").providers()).isEmpty();
    assertThat(read.task("b").autoProvider()).isTrue();
    assertThat(read.task("b").providers()).containsExactly("claude", "gemini");
    assertThat(read.task("c").autoProvider()).isFalse();
  }
}
