package dev.orchestrator.spi.notifier;

import dev.orchestrator.OrchestratorException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A notification could not be delivered. A {@link Notifier} completes its future with this exception; it never
 * throws it from {@link Notifier#send}.
 *
 * <p>The message names the channel and what went wrong in words safe to log: it never contains a password, a
 * token or a full webhook URL (show the host only). For the same reason, implementations attach a cause only when
 * its messages are known to be free of secrets.
 *
 * @since 0.1
 */
public class NotifierException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final String channel;
  private final boolean retryable;
  private final @Nullable Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param channel the notifier's instance name, such as {@code slack}
   * @param message what went wrong and, where there is one, the fix; never a secret
   * @param retryable whether sending the same notification again may succeed (a timeout, a 5xx, a 429)
   * @param retryAfter how long the service asked to wait before trying again, or null
   * @param cause the underlying failure, or null; only when free of secrets
   */
  public NotifierException(String channel, String message, boolean retryable, @Nullable Duration retryAfter,
      @Nullable Throwable cause) {
    super("notifier '" + Objects.requireNonNull(channel, "channel") + "': " + message, cause);
    this.channel = channel;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** The notifier's instance name. */
  public String channel() {
    return channel;
  }

  /** Whether trying again may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** How long the service asked to wait before trying again, or null when it did not say. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
