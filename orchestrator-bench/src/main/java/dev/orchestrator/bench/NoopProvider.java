package dev.orchestrator.bench;

import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * A provider that does no work: what remains of a task is the engine's own work. It shares a single pre-built
 * response. Inline (the default), every call has already succeeded: it allocates one completed future per call (the
 * engine may cancel or chain on it, so one shared future would be wrong). Async, it completes each call's future on
 * a pool thread, as an HTTP provider completes its calls on its client's threads. Thread-safe.
 */
final class NoopProvider implements AiProvider {
  static final String NAME = "noop";
  private static final ProviderResponse RESPONSE = ProviderResponse.of("", TokenUsage.NONE);

  private final @Nullable Executor pool;

  /** Every call has already succeeded when it returns. */
  NoopProvider() {
    this.pool = null;
  }

  /** Every call is completed on {@code work}'s pool when it is async, at once when it is inline. */
  NoopProvider(NoopWork work) {
    this.pool = work.mode() == NoopWork.Mode.ASYNC ? work.pool() : null;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String type() {
    return NAME;
  }

  @Override
  public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
    if (pool == null) {
      return CompletableFuture.completedFuture(RESPONSE);
    }
    return CompletableFuture.supplyAsync(() -> RESPONSE, pool);
  }

  @Override
  public CostEstimate estimate(ProviderRequest request) {
    return CostEstimate.free();
  }
}
