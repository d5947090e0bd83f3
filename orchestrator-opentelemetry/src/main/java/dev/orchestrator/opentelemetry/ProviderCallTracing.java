package dev.orchestrator.opentelemetry;

import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.ForwardingAiProvider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs each provider call inside its attempt span, so that what the provider does during the call (an HTTP request
 * through an instrumented client, a log line with the trace id) belongs to the trace, and an instrumented HTTP client
 * sends the span's context to the vendor ({@code traceparent}). Wrap the provider instances when building the
 * orchestrator, and hand this object to {@link OrchestratorTracing.Builder#providerCalls}:
 *
 * <pre>{@code
 * ProviderCallTracing calls = ProviderCallTracing.create();
 * try (Orchestrator orchestrator = Orchestrator.builder().provider(calls.wrap(claude)).build();
 *      OrchestratorTracing tracing = OrchestratorTracing.builder(orchestrator, otel).providerCalls(calls).build()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>The wrapped provider also records the model that answered ({@code gen_ai.response.model}) on the attempt span.
 * It works with {@link OrchestratorTracing.EventSource#THIS_PROCESS} (the default): the engine delivers an attempt's
 * start to its listeners before it calls the provider, so the span exists when the call begins. A call whose span is
 * not known (tracing not started yet, or closed) runs as it would unwrapped. The bundled HTTP providers add the
 * current span's {@code traceparent} to their requests through this module's
 * {@code dev.orchestrator.providers.http.RequestHeaders} plugin. Providers configured from a {@code PluginConfig} are
 * wrapped with {@code Orchestrator.Builder.decorateProviders(calls::wrap)}.
 *
 * <p>Thread-safe. A wrapped provider delegates everything else ({@code name}, {@code type}, estimates, probes,
 * {@code close}) unchanged, and cancelling its call's future cancels the provider's.
 *
 * @since 0.1
 */
public final class ProviderCallTracing {
  private static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");

  /** Finds the open attempt span of a call; set while an {@link OrchestratorTracing} is attached. */
  private volatile @Nullable Function<CallContext, @Nullable Span> spans;

  private ProviderCallTracing() {}

  /** A new, unattached instance. */
  public static ProviderCallTracing create() {
    return new ProviderCallTracing();
  }

  /** {@code provider}, its calls run inside their attempt spans. */
  public AiProvider wrap(AiProvider provider) {
    return new Traced(Objects.requireNonNull(provider, "provider"));
  }

  /**
   * @throws IllegalStateException when another tracing is attached already
   */
  synchronized void attach(Function<CallContext, @Nullable Span> lookup) {
    if (spans != null) {
      throw new IllegalStateException("these provider calls are traced by another OrchestratorTracing already: give "
          + "each orchestrator its own ProviderCallTracing");
    }
    spans = lookup;
  }

  synchronized void detach() {
    spans = null;
  }

  private final class Traced extends ForwardingAiProvider {
    private final AiProvider delegate;

    Traced(AiProvider delegate) {
      super(delegate);
      this.delegate = delegate;
    }

    @Override
    @SuppressWarnings("try") // the scope is held for the call, not read
    public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
      Function<CallContext, @Nullable Span> lookup = spans;
      Span span = lookup == null ? null : lookup.apply(context);
      if (span == null) {
        return delegate.complete(request, context);
      }
      CompletableFuture<ProviderResponse> inner;
      try (Scope ignored = span.makeCurrent()) {
        inner = delegate.complete(request, context);
      }
      // The model is recorded before the engine sees the response, so before the event that ends the span.
      CompletableFuture<ProviderResponse> out = new CompletableFuture<>();
      inner.whenComplete((response, error) -> {
        if (error != null) {
          out.completeExceptionally(error);
          return;
        }
        if (response.model() != null) {
          span.setAttribute(RESPONSE_MODEL, response.model());
        }
        out.complete(response);
      });
      out.whenComplete((response, error) -> {
        if (out.isCancelled()) {
          inner.cancel(true);
        }
      });
      return out;
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
