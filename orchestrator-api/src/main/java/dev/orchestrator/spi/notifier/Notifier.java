package dev.orchestrator.spi.notifier;

import java.util.concurrent.CompletableFuture;

/**
 * One configured notification channel: an SMTP account with its recipients, a Slack or Discord webhook, an SMS
 * account with its phone numbers, a signed JSON webhook. Implementations must be thread-safe.
 *
 * <p><b>Sending holds no caller thread.</b> {@link #send} returns at once with a future that the notifier
 * completes later, from an HTTP client's callback or a thread of its own. Every failure, including a bad
 * notification or a closed notifier, completes the future exceptionally with a {@link NotifierException}; nothing
 * is thrown. The notifier does not retry: its caller decides that from {@link NotifierException#retryable()}.
 *
 * <pre>{@code
 * final class ConsoleNotifier implements Notifier {
 *   public String name() { return "console"; }
 *   public String type() { return "console"; }
 *   public CompletableFuture<Void> send(Notification n) {
 *     System.out.println(n.subject());
 *     return CompletableFuture.completedFuture(null);
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #toString()} must not reveal a secret of the configuration (passwords, tokens, webhook URLs).
 *
 * @since 0.1
 */
public interface Notifier extends AutoCloseable {
  /** The channel instance name rules refer to, such as {@code email} or {@code slack}: lower case. */
  String name();

  /** The plugin type that made it, such as {@code email}, {@code slack}, {@code twilio}, {@code webhook}. */
  String type();

  /**
   * Sends one notification.
   *
   * @param notification what to say, already rendered in its locale
   * @return a future completed when the channel accepted the message, or completed exceptionally with a
   *     {@link NotifierException}; never null, never blocking the caller
   */
  CompletableFuture<Void> send(Notification notification);

  /**
   * Releases the notifier's connections and threads; sends still in flight may fail. Later sends complete
   * exceptionally. Idempotent. The default does nothing.
   */
  @Override
  default void close() {}
}
