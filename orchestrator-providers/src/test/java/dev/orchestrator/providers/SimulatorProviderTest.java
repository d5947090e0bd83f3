package dev.orchestrator.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.Message;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.provider.ToolSpec;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.ProviderContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The {@code simulator} provider, entirely in virtual time. */
class SimulatorProviderTest extends ProviderContract {
  static final CallContext CALL = CallContext.of("test", "run-1", "task-1", 1);
  final MutableClock clock = MutableClock.create();
  final ManualScheduler scheduler = new ManualScheduler(clock);

  AiProvider simulator(String... props) {
    Map<String, String> p = new HashMap<>();
    for (int i = 0; i + 1 < props.length; i += 2) {
      p.put(props[i], props[i + 1]);
    }
    return new SimulatorProviderFactory().create(new PluginConfig("sim", "simulator", p),
        PluginContext.of(clock, scheduler, k -> null));
  }

  @Override
  protected AiProvider createProvider() {
    return simulator();
  }

  @Override
  protected @Nullable AiProvider createFailingProvider(ErrorKind kind) {
    return simulator("failureRate", "1", "failureKind", kind.name());
  }

  @Override
  protected @Nullable AiProvider createHangingProvider() {
    return simulator("latency", "10h");
  }

  @Override
  protected String factoryType() {
    return "simulator";
  }

  /** Virtual time: run the scheduler until the call ends. */
  @Override
  protected <T> T await(CompletableFuture<T> future) throws Exception {
    scheduler.runUntilIdle(Duration.ofDays(1));
    if (!future.isDone()) {
      throw new AssertionError("the simulated call did not end within a virtual day");
    }
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  @Test
  void repliesSaySoPlainlyAndArriveAfterTheirLatencyInVirtualTime() throws Exception {
    CompletableFuture<ProviderResponse> f = simulator("latency", "2s").complete(ProviderRequest.of("Plan a trip"),
        CALL);
    scheduler.advance(Duration.ofMillis(1500));
    assertThat(f).as("1.6s is the least a 2s latency can become").isNotDone();
    ProviderResponse r = await(f);
    assertThat(r.text()).startsWith("[SIMULATED reply from sim (model sim-standard); no AI was called]")
        .contains("Plan a trip");
    assertThat(r.usage().outputTokens()).isPositive();
    assertThat(r.cost().isZero()).as("priced like a real model").isFalse();
    assertThat(r.costBasis()).isEqualTo(CostBasis.MEASURED);
  }

  @Test
  void offeredTheAskToolItAsksOnceAndThenAnswers() throws Exception {
    AiProvider sim = simulator("latency", "0s");
    ToolSpec askTool = ToolSpec.of("ask", "Ask another assistant", Map.of("provider", "who", "question", "what"));
    List<Message> first = List.of(Message.user("Write a post about tides"));

    ProviderResponse asking = await(sim.complete(ProviderRequest.builder().messages(first).tools(List.of(askTool))
        .build(), CALL));

    assertThat(sim.supportsTools()).isTrue();
    assertThat(asking.toolCalls()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("ask");
      assertThat(c.argument("provider")).isEqualTo("auto");
      assertThat(c.argument("question")).contains("Write a post about tides");
    });
    List<Message> answered = List.of(first.get(0), Message.assistant(asking.text(), asking.toolCalls()),
        Message.toolResult(asking.toolCalls().get(0), "Warmer, please."));
    ProviderResponse last = await(sim.complete(ProviderRequest.builder().messages(answered).tools(List.of(askTool))
        .build(), CALL));
    assertThat(last.toolCalls()).as("it has asked: now it answers").isEmpty();
    assertThat(last.text()).startsWith("[SIMULATED reply from sim");
    assertThat(await(sim.complete(ProviderRequest.of("No tools here"), CALL)).toolCalls()).isEmpty();
  }

  @Test
  void aModelWithoutAPriceIsUnpricedNotGuessed() throws Exception {
    AiProvider p = simulator("model", "sim-unlisted");
    ProviderResponse r = await(p.complete(ProviderRequest.of("Plan a trip"), CALL));
    assertThat(r.cost().isZero()).isTrue();
    assertThat(r.costBasis()).isEqualTo(CostBasis.UNPRICED);
    assertThat(p.estimate(ProviderRequest.of("Plan a trip")).isKnown()).isFalse();
  }

  @Test
  void theSameSeedGivesTheSameRepliesLatenciesAndFailures() throws Exception {
    assertThat(run("seed", "7")).isEqualTo(run("seed", "7")).isNotEqualTo(run("seed", "8"));
  }

  private List<String> run(String... props) throws Exception {
    List<String> out = new ArrayList<>();
    String[] all = new String[props.length + 4];
    System.arraycopy(props, 0, all, 0, props.length);
    System.arraycopy(new String[] {"failureRate", "0.3"}, 0, all, props.length, 2);
    System.arraycopy(new String[] {"failureKind", "TIMEOUT"}, 0, all, props.length + 2, 2);
    AiProvider p = simulator(all);
    for (int i = 0; i < 20; i++) {
      CompletableFuture<ProviderResponse> f = p.complete(ProviderRequest.of("prompt " + i), CALL);
      Duration took = scheduler.runUntilIdle(Duration.ofDays(1));
      try {
        out.add(took + " " + f.get().text() + " " + f.get().usage());
      } catch (ExecutionException e) {
        out.add(took + " failed " + ((ProviderException) e.getCause()).kind());
      }
    }
    return out;
  }

  @Test
  void failuresComeInBurstsOfTheConfiguredKind() throws Exception {
    AiProvider p = simulator("failureRate", "0.1", "failureBurst", "3", "failureKind", "RATE_LIMITED",
        "retryAfter", "9s", "seed", "3");
    List<Boolean> failed = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      CompletableFuture<ProviderResponse> f = p.complete(ProviderRequest.of("p"), CALL);
      scheduler.runUntilIdle(Duration.ofDays(1));
      failed.add(f.isCompletedExceptionally());
      if (f.isCompletedExceptionally()) {
        ProviderException e = (ProviderException) f.handle((r, t) -> t).get();
        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(9));
      }
    }
    assertThat(failed).contains(true);
    // every run of failures is a whole number of bursts of three
    int run = 0;
    for (boolean b : failed) {
      if (b) {
        run++;
      } else {
        assertThat(run % 3).isZero();
        run = 0;
      }
    }
  }

  @Test
  void estimatesFromItsModelsPrice() {
    AiProvider small = simulator("model", "sim-small");
    AiProvider large = simulator("model", "sim-large");
    ProviderRequest r = ProviderRequest.of("x".repeat(4000));
    assertThat(large.estimate(r).high()).isGreaterThan(small.estimate(r).high());
    assertThat(small.estimate(r).expectedDuration()).isPositive();
  }

  @Test
  void cancellingStopsTheTimer() {
    CompletableFuture<ProviderResponse> f = simulator().complete(ProviderRequest.of("p"), CALL);
    assertThat(scheduler.pending()).isEqualTo(1);
    f.cancel(true);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aReplyToASchemaSatisfiesIt() throws Exception {
    AiProvider p = simulator("seed", "7");
    String verdict = "{\"type\":\"object\",\"required\":[\"approved\",\"score\",\"feedback\"],\"properties\":{"
        + "\"approved\":{\"type\":\"boolean\"},\"score\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":10},"
        + "\"feedback\":{\"type\":\"string\"},\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\"]}}}}";
    CompletableFuture<ProviderResponse> f = p.complete(ProviderRequest.builder().prompt("Review")
        .expectedOutput(dev.orchestrator.workflow.ExpectedOutput.jsonSchema(verdict)).taskType("review").build(), CALL);
    scheduler.advance(Duration.ofMinutes(5));
    com.fasterxml.jackson.databind.JsonNode reply = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(f.get().text());
    assertThat(reply.get("approved").asBoolean()).isTrue();
    assertThat(reply.get("score").asInt()).isEqualTo(10);
    assertThat(reply.get("feedback").asText()).contains("SIMULATED");
    assertThat(reply.get("tags").get(0).asText()).isEqualTo("a");
  }
}
