package dev.orchestrator.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.FakeProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The pipeline alone: the order its steps run in, where they stop, and what a call brings back to them. */
class CallPipelineTest {
  private final EngineParts parts = new EngineParts(FakeProvider.echo("fake"), CircuitBreakerPolicy.disabled(),
      RateLimit.none());
  private final List<String> log = new ArrayList<>();
  /** What the provider will reply, completed by the test. */
  private final CompletableFuture<ProviderResponse> reply = new CompletableFuture<>();
  /** The call as the steps after it saw it. */
  private Call seen;

  /** A step that records each phase it runs in, and stops the pipeline there when told to. */
  private CallStep step(String name, boolean goOnBefore, boolean goOnAfter) {
    return new CallStep() {
      @Override
      public boolean before(Call call) {
        log.add("before " + name);
        return goOnBefore;
      }

      @Override
      public boolean after(Call call) {
        log.add("after " + name);
        seen = call;
        return goOnAfter;
      }
    };
  }

  private CallStep step(String name) {
    return step(name, true, true);
  }

  /** Stands for the provider call: the task starts running and its call is {@link #reply}. */
  private CallStep caller() {
    return new CallStep() {
      @Override
      public boolean before(Call call) {
        log.add("call");
        TaskNode n = call.node;
        n.record = n.record.moveTo(TaskState.READY, parts.ctx.now()).start(call.slot.name, parts.ctx.now());
        n.callSlot = call.slot;
        call.slot.inFlight++;
        n.call = reply;
        return true;
      }
    };
  }

  private CallPipeline pipeline(CallStep... steps) {
    return new CallPipeline(parts.ctx, List.of(steps), parts.budgets, parts.resilience, parts.retries);
  }

  @Test
  void runsTheStepsBeforeTheCallInOrderAndStopsAtTheFirstThatSaysNo() {
    CallPipeline pipeline = pipeline(step("guard"), step("budget", false, true), step("gate"), caller());

    boolean started = pipeline.start(parts.task("a"), parts.slot);

    assertThat(started).isFalse();
    assertThat(log).containsExactly("before guard", "before budget");
    assertThat(parts.slot.inFlight).isZero();
  }

  @Test
  void runsTheStepsAfterTheCallInTheSameOrderOnceItEnds() {
    TaskNode n = parts.task("a");
    CallPipeline pipeline = pipeline(step("budget"), caller(), step("review", true, false), step("succeed"));

    assertThat(pipeline.start(n, parts.slot)).isTrue();
    parts.drain();
    assertThat(log).containsExactly("before budget", "call", "before review", "before succeed");
    assertThat(parts.slot.inFlight).isEqualTo(1);

    ProviderResponse response = ProviderResponse.of("done", TokenUsage.of(3, 4));
    reply.complete(response);
    assertThat(log).hasSize(4); // the result waits for the loop
    parts.drain();

    assertThat(log).containsExactly("before budget", "call", "before review", "before succeed", "after budget",
        "after review");
    assertThat(seen.response).isSameAs(response);
    assertThat(seen.failed()).isFalse();
    assertThat(n.call).isNull();
    assertThat(parts.slot.inFlight).isZero();
  }

  @Test
  void readsAFailureIntoTheCallForTheStepsAfterIt() {
    CallPipeline pipeline = pipeline(caller(), step("retry"));
    pipeline.start(parts.task("a"), parts.slot);

    reply.completeExceptionally(new CompletionException(new ProviderException("fake", ErrorKind.RATE_LIMITED,
        "slow down", true, Duration.ofSeconds(7), null)));
    parts.drain();

    assertThat(seen.kind).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(seen.message).contains("slow down");
    assertThat(seen.retryAfter).isEqualTo(Duration.ofSeconds(7));
    assertThat(seen.response).isNull();
  }

  @Test
  void aCallThatEndsWithNoReplyIsAMalformedResponse() {
    CallPipeline pipeline = pipeline(caller(), step("retry"));
    pipeline.start(parts.task("a"), parts.slot);

    reply.complete(null);
    parts.drain();

    assertThat(seen.kind).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
  }

  @Test
  void dropsAResultThatArrivesAfterItsCallWasStopped() {
    TaskNode n = parts.task("a");
    CallPipeline pipeline = pipeline(caller(), step("succeed"));
    pipeline.start(n, parts.slot);

    pipeline.endCall(n); // as a cancellation does
    reply.complete(ProviderResponse.of("late", TokenUsage.of(1, 1)));
    parts.drain();

    assertThat(log).containsExactly("call", "before succeed");
    assertThat(parts.slot.inFlight).isZero();
  }

  @Test
  void aCallThatOutlivesItsTimeoutIsCancelledAndTheAttemptTimesOut() {
    TaskNode n = parts.task("a", t -> t.timeout(Duration.ofSeconds(10)));
    CallPipeline pipeline = pipeline(caller(), step("succeed"));
    pipeline.start(n, parts.slot);

    parts.advance(Duration.ofSeconds(9));
    assertThat(reply).isNotDone();
    parts.advance(Duration.ofSeconds(1));

    assertThat(reply).isCancelled();
    assertThat(log).containsExactly("call", "before succeed"); // the steps after the call never saw it
    assertThat(n.record.lastAttempt().outcome()).isEqualTo(Attempt.Outcome.TIMED_OUT);
    assertThat(n.state()).isEqualTo(TaskState.FAILED); // no retries allowed
    assertThat(n.record.errorKind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(parts.slot.inFlight).isZero();
  }

  @Test
  void theEnginesStepsRunInTheDocumentedOrder() {
    List<CallStep> steps = CallSteps.standard(parts.ctx, new Guards(parts.ctx, List.of(), parts.lifecycle),
        parts.budgets, parts.resilience, parts.retries, new Reviews(parts.ctx, parts.lifecycle), parts.questions,
        parts.lifecycle);

    // The gate comes before the reservation, so that a provider that asks to be left alone holds no money; after
    // the call, the breaker hears of it and its cost is settled before a retry is decided.
    assertThat(steps).extracting(s -> s.getClass().getSimpleName()).containsExactly("Request", "PromptGuard",
        "Gate", "Budget", "Ended", "ProviderCall", "Retry", "Reply", "OutputGuard", "ReviewStep", "Succeed");
  }
}
