package dev.orchestrator.examples.plugin;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.Scheduler;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A provider that answers every prompt in capitals after a delay. Small, but it does what every provider must:
 *
 * <ul>
 * <li>{@link #complete} returns at once; the reply comes later from the engine's {@link Scheduler}, so no thread
 *     waits and tests run in virtual time;
 * <li>cancelling the returned future cancels the scheduled work;
 * <li>failures are {@link ProviderException}s with an {@link ErrorKind} (here a prompt containing {@code "429"}
 *     pretends to be rate limited, to show the shape);
 * <li>{@link #estimate} is quick and never fails; {@code toString()} never shows the key.
 * </ul>
 *
 * <p>Thread-safe: it holds only immutable state.
 */
public final class ShoutProvider implements AiProvider {
  private final String name;
  private final Duration delay;
  private final Money pricePerCall;
  private final @Nullable String apiKey;
  private final Scheduler scheduler;
  private volatile boolean closed;

  ShoutProvider(String name, Duration delay, Money pricePerCall, @Nullable String apiKey, Scheduler scheduler) {
    this.name = name;
    this.delay = delay;
    this.pricePerCall = pricePerCall;
    this.apiKey = apiKey;
    this.scheduler = scheduler;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return ShoutProviderFactory.TYPE;
  }

  @Override
  public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    if (closed) {
      return CompletableFuture.failedFuture(ProviderException.closed(name));
    }
    CompletableFuture<ProviderResponse> reply = new CompletableFuture<>();
    Scheduler.Cancellable timer = scheduler.schedule(() -> {
      if (request.prompt().contains("429")) {
        reply.completeExceptionally(new ProviderException(name, ErrorKind.RATE_LIMITED,
            "pretending to be rate limited: try again in a second", true, Duration.ofSeconds(1), null));
        return;
      }
      String text = request.prompt().toUpperCase(Locale.ROOT);
      reply.complete(ProviderResponse.builder().text(text).usage(TokenUsage.of(tokens(request), tokens(text)))
          .model("shout-1").cost(pricePerCall).build());
    }, delay);
    // the engine cancels the future when the task is cancelled or times out: stop the work too
    reply.whenComplete((r, e) -> {
      if (reply.isCancelled()) {
        timer.cancel();
      }
    });
    return reply;
  }

  private static long tokens(ProviderRequest request) {
    return tokens(request.prompt());
  }

  private static long tokens(String text) {
    return Math.max(1, text.length() / 4);
  }

  @Override
  public CostEstimate estimate(ProviderRequest request) {
    long in = tokens(request);
    long out = request.maxOutputTokens() != null ? request.maxOutputTokens() : in;
    return CostEstimate.builder().expectedUsage(TokenUsage.of(in, Math.min(in, out))).low(pricePerCall)
        .expected(pricePerCall).high(pricePerCall).expectedDuration(delay).build();
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "ShoutProvider[name=" + name + ", delay=" + delay + ", apiKey=" + (apiKey == null ? "none" : "****")
        + "]";
  }
}
