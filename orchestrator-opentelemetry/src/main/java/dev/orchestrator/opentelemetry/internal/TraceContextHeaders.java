package dev.orchestrator.opentelemetry.internal;

import dev.orchestrator.providers.http.RequestHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) of the calling thread, which the bundled HTTP
 * providers add to their requests: a provider wrapped by {@code ProviderCallTracing} calls inside its attempt span,
 * so the vendor (or a gateway in front of it) sees the attempt as the parent. Nothing is added outside a span.
 * Registered for {@link java.util.ServiceLoader}.
 */
public final class TraceContextHeaders implements RequestHeaders {
  @Override
  public Map<String, String> headers() {
    Context context = Context.current();
    if (!Span.fromContext(context).getSpanContext().isValid()) {
      return Map.of();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    W3CTraceContextPropagator.getInstance().inject(context, headers, Map::put);
    return headers;
  }
}
