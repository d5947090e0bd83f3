package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A provider's word on whether a retry may help decides over its failure's kind. */
class RetryableTest {
  private final Harness h = new Harness();

  private static FakeProvider waiting() {
    return FakeProvider.builder("p").script(Reply.hang()).build();
  }

  private static Workflow one() {
    return Workflow.builder("w").task("a", t -> t.instructions("x")
        .retry(RetryPolicy.builder().maxAttempts(3).backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).build()))
        .build();
  }

  @Test
  void aRateLimitTheProviderSaysIsNotWorthRetryingIsNotRetried() {
    FakeProvider p = waiting();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one());
      p.calls().get(0).future().completeExceptionally(new ProviderException("p", ErrorKind.RATE_LIMITED,
          "daily quota used up", false, null, null));
      h.scheduler.advance(Duration.ofMinutes(1));

      assertThat(run.task("a").state()).isEqualTo(TaskState.FAILED);
      assertThat(p.callCount()).isEqualTo(1);
    }
  }

  @Test
  void anInvalidRequestTheProviderSaysIsWorthRetryingIsRetried() {
    FakeProvider p = waiting();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one());
      p.calls().get(0).future().completeExceptionally(new ProviderException("p", ErrorKind.INVALID_REQUEST,
          "a transient validation outage", true, null, null));
      h.scheduler.advance(Duration.ofMinutes(1));

      assertThat(p.callCount()).isEqualTo(2);
      assertThat(run.task("a").state()).isEqualTo(TaskState.SUCCEEDED);
    }
  }

  @Test
  void aFailureWithoutTheProvidersWordFollowsItsKind() {
    FakeProvider p = waiting();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Run run = o.submit("demo", one());
      p.calls().get(0).future().completeExceptionally(new java.io.UncheckedIOException(
          new java.io.IOException("reset")));
      h.scheduler.advance(Duration.ofMinutes(1));

      assertThat(run.task("a").state()).as("UNKNOWN is not retried by default").isEqualTo(TaskState.FAILED);
      assertThat(p.callCount()).isEqualTo(1);
    }
  }
}
