package dev.orchestrator.providers.http;

import java.util.Map;

/**
 * Headers every {@link HttpProvider} adds to the requests it sends, such as the trace context of the thread that
 * makes the call ({@code traceparent}, added by {@code orchestrator-opentelemetry}). Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.orchestrator.providers.http.RequestHeaders}) once, when
 * the first HTTP provider is built; each is asked on the thread that calls {@link HttpProvider#complete}, just before
 * the request goes out. A header the provider sets itself (its key, its content type) is never replaced, and a
 * failing implementation is logged and skipped: headers never stop a call.
 *
 * @since 0.1
 */
public interface RequestHeaders {
  /** The headers to add to the request about to be sent from this thread; empty for none. Never a secret. */
  Map<String, String> headers();
}
