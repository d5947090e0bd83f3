package dev.orchestrator.spi.provider;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A provider that forwards every method to another, for decorators that change one thing about a provider (trace
 * its calls, run them in a working directory of their own) and keep the rest. Extend it and override what changes:
 * a method later added to {@link AiProvider} is forwarded here too, so a decorator never silently drops it (a
 * decorator that implements {@code AiProvider} itself would answer a new default method with the default, not with
 * its delegate's answer).
 *
 * <pre>{@code
 * final class Logged extends ForwardingAiProvider {
 *   Logged(AiProvider delegate) { super(delegate); }
 *   @Override public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
 *     log.info("calling {}", name());
 *     return super.complete(request, context);
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe when the delegate is.
 *
 * @since 0.1
 */
public abstract class ForwardingAiProvider implements AiProvider {
  private final AiProvider delegate;

  /** Forwards to {@code delegate}. */
  protected ForwardingAiProvider(AiProvider delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The provider this one forwards to. */
  protected AiProvider delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public String type() {
    return delegate.type();
  }

  @Override
  public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
    return delegate.complete(request, context);
  }

  @Override
  public CostEstimate estimate(ProviderRequest request) {
    return delegate.estimate(request);
  }

  @Override
  public CompletableFuture<Health> probe() {
    return delegate.probe();
  }

  @Override
  public boolean supportsTools() {
    return delegate.supportsTools();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
