package dev.orchestrator;

/**
 * Why a provider call failed, in one classification shared by every provider. Only transient kinds are
 * retried by default.
 *
 * @since 0.1
 */
public enum ErrorKind {
  /** Too many requests; honour the provider's {@code Retry-After}. */
  RATE_LIMITED(true),
  /** The provider is overloaded (for example HTTP 529). */
  OVERLOADED(true),
  /** A server error (HTTP 5xx). */
  SERVER(true),
  /** The call took longer than its timeout. */
  TIMEOUT(true),
  /** The connection failed or broke. */
  NETWORK(true),
  /** The key is missing, wrong or not allowed (HTTP 401/403). */
  AUTH(false),
  /** The request was rejected as malformed (HTTP 400/404/422). */
  INVALID_REQUEST(false),
  /** The prompt is longer than the model accepts. */
  CONTEXT_TOO_LONG(false),
  /** The provider refused the content. */
  CONTENT_REFUSED(false),
  /** The response could not be read: malformed or truncated. */
  MALFORMED_RESPONSE(true),
  /** A budget limit stopped the call before it was made. */
  BUDGET(false),
  /** A guard blocked the prompt or the output. */
  GUARD(false),
  /** Reviewers rejected the output in every allowed round. */
  REVIEW_REJECTED(false),
  /** The call was cancelled. */
  CANCELLED(false),
  /** Anything else; the message says what. */
  UNKNOWN(false);

  private final boolean retryable;

  ErrorKind(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether a failure of this kind is transient and worth retrying. */
  public boolean retryable() {
    return retryable;
  }
}
