package dev.orchestrator.spi.provider;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.OrchestratorException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider call failed. Carries the provider instance, the classified {@link ErrorKind}, whether a retry may help
 * and how long the provider asked to wait. The message never contains a secret.
 */
public class ProviderException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final String provider;
  private final ErrorKind kind;
  private final boolean retryable;
  private final @Nullable Duration retryAfter;

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
    super(provider + " " + kind + ": " + message, cause);
    this.provider = Objects.requireNonNull(provider, "provider");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.retryable = retryable;
    this.retryAfter = retryAfter;
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
}
