package dev.orchestrator.bench;

import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.Provider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A provider whose every call has already succeeded: what remains of a task is the engine's own work. It allocates
 * one completed future per call (the engine may cancel or chain on it, so one shared future would be wrong) and
 * shares a single pre-built response. Thread-safe.
 */
final class NoopProvider implements Provider {
  static final String NAME = "noop";
  private static final ProviderResponse RESPONSE = ProviderResponse.of("", TokenUsage.NONE);

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
    return CompletableFuture.completedFuture(RESPONSE);
  }

  @Override
  public CostEstimate estimate(ProviderRequest request) {
    return CostEstimate.free();
  }
}
