package dev.orchestrator.notifiers.internal;

import dev.orchestrator.notifiers.DeliveryFailedEvent;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.NotifierException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed send means (retry or not, how soon, in words safe to show), and the report of a notification given
 * up on: a warning in the log and the listener's callback. Shared by both ways of delivering. Thread-safe.
 */
public final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private final Redactor redactor;
  private final Consumer<DeliveryFailedEvent> onFailure;
  private final Clock clock;

  public Failures(Redactor redactor, Consumer<DeliveryFailedEvent> onFailure, Clock clock) {
    this.redactor = redactor;
    this.onFailure = onFailure;
    this.clock = clock;
  }

  /** The failure inside the future's wrappers. */
  public static @Nullable Throwable unwrap(@Nullable Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Whether the channel said that trying again may work (timeouts, 5xx, 429). */
  public static boolean retryable(@Nullable Throwable error) {
    return unwrap(error) instanceof NotifierException ne && ne.retryable();
  }

  /** How long the service asked to wait ({@code Retry-After}), or null. */
  public static @Nullable Duration retryAfter(@Nullable Throwable error) {
    return unwrap(error) instanceof NotifierException ne ? ne.retryAfter() : null;
  }

  /** The failure in words, with every known secret removed. */
  public String describe(@Nullable Throwable error) {
    Throwable e = unwrap(error);
    if (e == null) {
      return "unknown error";
    }
    if (e instanceof NotifierException) {
      return redactor.scrub(e.getMessage());
    }
    return e.getClass().getSimpleName() + ": " + redactor.scrub(e.getMessage());
  }

  /** Text with every known secret removed. */
  public String scrub(@Nullable String text) {
    return redactor.scrub(text);
  }

  /** Logs a notification given up on and tells the listener's callback; never throws. */
  public void report(String channel, String type, Notification n, int attempts, String reason) {
    log.warn("Notification not delivered (project={}, channel={}, type={}, event={}, count={}, attempts={},"
        + " reason={})", n.project(), channel, type, n.event(), n.count(), attempts, reason);
    try {
      onFailure.accept(new DeliveryFailedEvent(n.project(), channel, n.event(), n.count(), attempts, reason,
          clock.instant()));
    } catch (RuntimeException e) {
      log.warn("Delivery failure callback threw (error={})", redactor.scrub(e.toString()));
    }
  }
}
