package dev.orchestrator.spi.provider;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.OrchestratorException;
import dev.orchestrator.TokenUsage;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider call failed. Carries the provider instance, the classified {@link ErrorKind}, whether a retry may help
 * (the engine retries only when {@link #retryable()} says so), how long the provider asked to wait, and what the
 * failed call may have cost: a failed call is never assumed free. The message never contains a secret.
 *
 * <p>{@link #billing()} says whether the vendor billed the call; {@link #usage()} and {@link #cost()} hold whatever
 * usage arrived before the failure (an Anthropic stream's {@code message_start}, a refused reply's usage), priced.
 * The engine records a {@link Billing#BILLED} failure at its cost, and a {@link Billing#MAY_HAVE_BILLED} one at its
 * reservation (the worst case) or its cost, whichever is more, marked as an estimate.
 *
 * @since 0.1
 */
public class ProviderException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  /** Whether the vendor billed a failed call. */
  public enum Billing {
    /** The vendor did not bill it: the request was never sent, or was refused before any work (HTTP 4xx, 5xx). */
    NOT_BILLED,
    /** The vendor billed exactly {@link #usage()}: a refused or filtered reply that reported its usage. */
    BILLED,
    /**
     * The vendor may have billed more than {@link #usage()}: a stream cut before its usage, a timeout after the
     * request was sent, a reply that could not be read, a cancellation in flight.
     */
    MAY_HAVE_BILLED;

    /**
     * What a failure of this kind means for billing when the provider says nothing more: refusals by status
     * (rate limits, overload, server errors, bad keys or requests) are not billed; anything that may have happened
     * after the vendor started working is {@link #MAY_HAVE_BILLED}.
     */
    public static Billing defaultFor(ErrorKind kind) {
      return switch (kind) {
        case RATE_LIMITED, OVERLOADED, SERVER, AUTH, INVALID_REQUEST, CONTEXT_TOO_LONG, BUDGET, GUARD,
            REVIEW_REJECTED -> NOT_BILLED;
        case TIMEOUT, NETWORK, CONTENT_REFUSED, MALFORMED_RESPONSE, CANCELLED, UNKNOWN -> MAY_HAVE_BILLED;
      };
    }
  }

  private final String provider;
  private final ErrorKind kind;
  private final boolean retryable;
  private final @Nullable Duration retryAfter;
  private final Billing billing;
  private final TokenUsage usage;
  private final Money cost;

  /** A failure whose retryability is the kind's default. */
  public ProviderException(String provider, ErrorKind kind, String message) {
    this(provider, kind, message, kind.retryable(), null, null);
  }

  /**
   * @param provider the provider instance name
   * @param kind the classification
   * @param message what went wrong, without secrets
   * @param retryable whether retrying may help
   * @param retryAfter how long the provider asked to wait, or null
   * @param cause the underlying exception, or null
   */
  public ProviderException(String provider, ErrorKind kind, String message, boolean retryable,
      @Nullable Duration retryAfter, @Nullable Throwable cause) {
    this(provider, kind, message, retryable, retryAfter, cause, Billing.defaultFor(kind), TokenUsage.NONE,
        Money.ZERO);
  }

  /**
   * A failure that says what the call may have cost.
   *
   * @param billing whether the vendor billed the call
   * @param usage the usage that arrived before the failure, {@link TokenUsage#NONE} when none did
   * @param cost that usage priced by the vendor's rates (zero when none arrived or the model is unpriced)
   */
  public ProviderException(String provider, ErrorKind kind, String message, boolean retryable,
      @Nullable Duration retryAfter, @Nullable Throwable cause, Billing billing, TokenUsage usage, Money cost) {
    super(provider + " " + kind + ": " + message, cause);
    this.provider = Objects.requireNonNull(provider, "provider");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.retryable = retryable;
    this.retryAfter = retryAfter;
    this.billing = Objects.requireNonNull(billing, "billing");
    this.usage = Objects.requireNonNull(usage, "usage");
    this.cost = Objects.requireNonNull(cost, "cost");
  }

  /**
   * What a closed provider returns for every call: not retryable, since the instance will not open again.
   *
   * @param provider the provider instance name
   */
  public static ProviderException closed(String provider) {
    return new ProviderException(provider, ErrorKind.UNKNOWN, "provider is closed: create a new instance", false,
        null, null);
  }

  /** The provider instance that failed. */
  public String provider() {
    return provider;
  }

  /** The classification. */
  public ErrorKind kind() {
    return kind;
  }

  /** Whether a retry may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** How long the provider asked to wait, or null. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /** Whether the vendor billed the call. */
  public Billing billing() {
    return billing;
  }

  /** The usage that arrived before the failure; {@link TokenUsage#NONE} when none did. */
  public TokenUsage usage() {
    return usage;
  }

  /** That usage priced; zero when none arrived. */
  public Money cost() {
    return cost;
  }
}
