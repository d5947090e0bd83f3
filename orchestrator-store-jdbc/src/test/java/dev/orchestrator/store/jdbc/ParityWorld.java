package dev.orchestrator.store.jdbc;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.guard.SecretGuard;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine of {@link FeatureParityIT}, configured the same wherever it runs (in the test's JVM or in a
 * {@link ParityEngineMain}): its providers answer by what their prompt and attempt say, never by what they were
 * asked before, so that two engines in two JVMs behave as one.
 *
 * <p>Providers: {@code writer} and {@code steady} (answer; see {@link ParityProvider}), {@code critic} (reviews),
 * {@code down} (always fails as a server error; fails over after one failure; its circuit opens after 3),
 * {@code serial} (one call at a time, each taking {@link #SERIAL_LATENCY}), {@code metered} (2 calls a minute).
 */
final class ParityWorld {
  static final Duration SERIAL_LATENCY = Duration.ofMillis(1500);
  static final Money COST = Money.usd("0.01");

  private ParityWorld() {}

  static Orchestrator.Builder engine(Store store, String name) {
    return Orchestrator.builder().store(store).clock(Clock.systemUTC()).engineName(name)
        .lease(Duration.ofSeconds(2)).syncInterval(Duration.ofMillis(200))
        .provider(new ParityProvider("writer", Duration.ofMillis(50)))
        .provider(new ParityProvider("steady", Duration.ofMillis(50)))
        .provider(new ParityProvider("critic", Duration.ofMillis(50)))
        .provider(new ParityProvider("down", Duration.ofMillis(50)), dev.orchestrator.core.ProviderOptions.builder()
            .retryPolicy(RetryPolicy.builder().fixedDelay(Duration.ofMillis(200)).maxAttempts(3).failoverAfter(1)
                .build())
            .circuitBreaker(CircuitBreakerPolicy.builder().failureThreshold(3).window(Duration.ofMinutes(10))
                .openFor(Duration.ofMinutes(10)).maxOpenFor(Duration.ofMinutes(10)).build())
            .build())
        .provider(new ParityProvider("serial", SERIAL_LATENCY), 1)
        .provider(new ParityProvider("metered", Duration.ofMillis(50)), dev.orchestrator.core.ProviderOptions.builder()
            .rateLimit(RateLimit.requestsPerMinute(2)).build())
        .defaultProvider("writer")
        .retryPolicy(RetryPolicy.builder().fixedDelay(Duration.ofMillis(200)).maxAttempts(3).build())
        .guard(SecretGuard.blocking());
  }

  /**
   * Answers by its prompt: {@code [ask]} asks "Which audience?" until the prompt carries an answer, then writes for
   * it; {@code [leak]} answers with something shaped like an access key; {@code [fail-first]} is refused as an
   * invalid request on its first attempt; {@code [slow]} takes a minute; a review prompt is approved only when the
   * answer says "improved"; a prompt with a reviewer's feedback is answered "improved draft". The provider named
   * {@code down} always fails. Every answer costs {@link #COST}, which is also its worst case.
   */
  static final class ParityProvider implements AiProvider {
    private static final Pattern ANSWER = Pattern.compile("Answer: (\\w+)");
    private final String name;
    private final Duration latency;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "parity-provider");
      t.setDaemon(true);
      return t;
    });

    ParityProvider(String name, Duration latency) {
      this.name = name;
      this.latency = latency;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String type() {
      return "parity";
    }

    @Override
    public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
      CompletableFuture<ProviderResponse> f = new CompletableFuture<>();
      // Markers are the task's own: the outputs of the tasks it depends on, appended after its instructions, may
      // echo their markers.
      String prompt = request.prompt().split("\n\nThe tasks this one depends on produced the following\\.", 2)[0];
      Duration delay = prompt.contains("[slow]") ? Duration.ofMinutes(1) : latency;
      timer.schedule(() -> {
        try {
          f.complete(answer(prompt, context));
        } catch (ProviderException e) {
          f.completeExceptionally(e);
        }
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
      return f;
    }

    private ProviderResponse answer(String prompt, CallContext context) {
      if (name.equals("down")) {
        throw new ProviderException(name, ErrorKind.SERVER, "down for the test");
      }
      if (prompt.contains("[fail-first]") && context.attempt() == 1) {
        throw new ProviderException(name, ErrorKind.INVALID_REQUEST, "refused on the first attempt");
      }
      ProviderResponse.Builder reply = ProviderResponse.builder().usage(TokenUsage.of(10, 5)).cost(COST);
      if (prompt.startsWith("You review another assistant's answer")) {
        String answer = prompt.substring(prompt.lastIndexOf("Its answer:"));
        return reply.text(answer.contains("improved")
            ? "{\"approved\": true, \"score\": 9, \"feedback\": \"good\"}"
            : "{\"approved\": false, \"score\": 3, \"feedback\": \"say improved\"}").build();
      }
      if (prompt.contains("[ask]")) {
        Matcher m = ANSWER.matcher(prompt);
        return m.find() ? reply.text("an outline for " + m.group(1)).build()
            : reply.question("Which audience?").build();
      }
      if (prompt.contains("[leak]")) {
        return reply.text("use the key AKIAIOSFODNN7EXAMPLE").build();
      }
      if (prompt.contains("A reviewer rejected your previous answer")) {
        return reply.text("improved draft").build();
      }
      if (prompt.contains("[review]")) {
        return reply.text("first draft").build();
      }
      return reply.text(name + " did " + prompt.lines().findFirst().orElse("")).build();
    }

    @Override
    public CostEstimate estimate(ProviderRequest request) {
      return CostEstimate.of(TokenUsage.of(10, 5), COST, COST, COST, latency);
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
