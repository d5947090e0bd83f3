package dev.orchestrator.spi.provider;

import java.util.concurrent.CompletableFuture;

/**
 * One named AI provider instance, such as {@code claude} (an Anthropic model) or {@code codex} (a command-line
 * agent). Implementations must be thread-safe: the engine makes many calls at once. (Named apart from the JDK's
 * {@code java.security.Provider} and {@code ServiceLoader.Provider}, which a plugin's imports meet too.)
 *
 * <p><b>Calls hold no thread.</b> {@link #complete} must return at once with a future that the provider completes
 * later (from an HTTP client's callback, a process's exit, a scheduled timer). It completes exceptionally with a
 * {@link ProviderException} that classifies the failure. When the engine cancels the returned future (the task
 * was cancelled or timed out), the provider stops the work: it aborts the HTTP exchange or destroys the process.
 * Just before that, the engine sets the call's {@link CallContext#cancelled() cancellation signal}, which a provider
 * doing several steps, or blocking work on a thread of its own, checks between steps or subscribes to
 * ({@link CallContext#onCancel}).
 *
 * <pre>{@code
 * final class EchoProvider implements AiProvider {
 *   public String name() { return "echo"; }
 *   public String type() { return "echo"; }
 *   public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
 *     return CompletableFuture.completedFuture(ProviderResponse.of(request.prompt(), TokenUsage.of(1, 1)));
 *   }
 *   public CostEstimate estimate(ProviderRequest request) { return CostEstimate.free(); }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface AiProvider extends AutoCloseable {
  /** The instance name tasks use, lower case. */
  String name();

  /** The plugin type that made it, such as {@code openai}. */
  String type();

  /**
   * Sends one request.
   *
   * @param request what to ask
   * @param context which task and attempt asks, and whether the engine has given the call up
   * @return a future of the response; never null, never blocking the caller
   */
  CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context);

  /**
   * Estimates the cost and duration of a request without calling anything; used by dry runs and budget
   * reservations. Must be quick and must not fail.
   */
  CostEstimate estimate(ProviderRequest request);

  /**
   * Asks whether the provider answers, without a billed call: an HTTP provider lists the vendor's models, a local
   * server answers its health endpoint. The engine probes a provider whose circuit is open, and lets work through
   * again as soon as a probe says {@link Health.Status#UP}; {@code orchestrator providers} shows the result. Like
   * {@link #complete}, it returns at once and never fails: a failure to reach the provider is
   * {@link Health.Status#DOWN} with the reason. The default has no probe ({@link Health.Status#UNKNOWN}).
   */
  default CompletableFuture<Health> probe() {
    return CompletableFuture.completedFuture(Health.unknown("this provider has no health probe"));
  }

  /**
   * Whether the provider sends {@link ProviderRequest#tools()} to the model in the vendor's native format and returns
   * the model's calls as {@link ProviderResponse#toolCalls()}. The engine offers tools (such as a task's {@code ask}
   * tool for consulting another provider) natively to a provider that does, and describes them in the prompt as a
   * text protocol to one that does not. The default is false.
   */
  default boolean supportsTools() {
    return false;
  }

  /** Releases the provider's resources. Idempotent. The default does nothing. */
  @Override
  default void close() {}
}
