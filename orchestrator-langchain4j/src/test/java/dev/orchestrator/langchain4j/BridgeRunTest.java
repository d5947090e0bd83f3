package dev.orchestrator.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Workflows run by the engine on bridged LangChain4j models, against a local OpenAI-compatible stub. */
class BridgeRunTest {
  private final OpenAiStub stub = new OpenAiStub();

  @AfterEach
  void close() {
    stub.close();
  }

  @Test
  void aWorkflowRunsOnABridgedModelWithItsTokensAndExactCost() throws Exception {
    stub.enqueue(OpenAiStub.reply("Tides are the sea's slow breathing.", 1200, 300, 1000),
        OpenAiStub.reply("Slow breathing sea.", 400, 50, 0));
    Workflow w = Workflow.builder("haiku")
        .task("draft", t -> t.instructions("Write a line about {{topic}}.").provider("gpt-mini"))
        .task("edit", t -> t.instructions("Shorten: {{tasks.draft.output}}").provider("gpt-mini").dependsOn("draft"))
        .build();
    RunSnapshot done;
    try (Orchestrator engine = Orchestrator.builder().provider(Models.provider("gpt-mini", stub)).build()) {
      done = engine.submit("demo", w, Map.of("topic", "tides")).completion().get(30, TimeUnit.SECONDS);
    }
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(done.task("edit").output()).isEqualTo("Slow breathing sea.");
    assertThat(stub.requests().get(0).body()).contains("Write a line about tides.");
    assertThat(stub.requests().get(1).body()).contains("Shorten: Tides are the sea's slow breathing.");
    assertThat(done.usage()).isEqualTo(TokenUsage.builder().input(1600).cachedInput(1000).output(350).build());
    // draft: 200 x 0.15 + 1000 x 0.075 + 300 x 0.60 = 285; edit: 400 x 0.15 + 50 x 0.60 = 90 (per million)
    assertThat(done.task("draft").cost().amount()).isEqualByComparingTo(new BigDecimal("0.000285"));
    assertThat(done.cost().amount()).isEqualByComparingTo(new BigDecimal("0.000375"));
    assertThat(done.costBasis()).isEqualTo(CostBasis.MEASURED);
  }

  @Test
  void aRateLimitedModelIsRetriedOnTheNextCandidate() throws Exception {
    stub.enqueue(OpenAiStub.error(429, "requests", "rate_limit_exceeded", "Rate limit reached for gpt-4o-mini."),
        OpenAiStub.reply("From the backup.", 100, 10, 0));
    Workflow w = Workflow.builder("failover")
        .task("answer", t -> t.instructions("Say something.").providers("primary", "backup")
            .retry(RetryPolicy.builder().maxAttempts(3).fixedDelay(Duration.ZERO).failoverAfter(1).build()))
        .build();
    RunSnapshot done;
    try (Orchestrator engine = Orchestrator.builder().provider(Models.provider("primary", stub))
        .provider(Models.provider("backup", stub)).build()) {
      done = engine.submit("demo", w, Map.of()).completion().get(30, TimeUnit.SECONDS);
    }
    TaskRecord task = done.task("answer");
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(task.output()).isEqualTo("From the backup.");
    assertThat(task.attempts()).extracting(Attempt::provider).containsExactly("primary", "backup");
    assertThat(task.attempts().get(0).errorKind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(task.attempts().get(0).outcome()).isNotEqualTo(Attempt.Outcome.SUCCEEDED);
    assertThat(task.attempts().get(1).outcome()).isEqualTo(Attempt.Outcome.SUCCEEDED);
  }

  @Test
  void aRefusedKeyFailsTheTaskAtOnceWithoutTheKey() throws Exception {
    stub.byDefault(OpenAiStub.error(401, "invalid_request_error", "invalid_api_key",
        "Incorrect API key provided: " + Models.KEY + "."));
    Workflow w = Workflow.builder("auth")
        .task("answer", t -> t.instructions("Say something.").provider("gpt-mini")
            .retry(RetryPolicy.builder().maxAttempts(3).fixedDelay(Duration.ZERO).build()))
        .build();
    RunSnapshot done;
    try (Orchestrator engine = Orchestrator.builder().provider(Models.provider("gpt-mini", stub)).build()) {
      done = engine.submit("demo", w, Map.of()).completion().get(30, TimeUnit.SECONDS);
    }
    TaskRecord task = done.task("answer");
    assertThat(done.status()).isEqualTo(RunStatus.FAILED);
    assertThat(task.errorKind()).isEqualTo(ErrorKind.AUTH);
    assertThat(task.attempts()).as("a permanent failure is not retried").hasSize(1);
    assertThat(stub.requests()).hasSize(1);
    assertThat(task.error()).contains("HTTP 401").doesNotContain(Models.KEY);
  }
}
