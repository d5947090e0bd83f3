package dev.orchestrator.providers.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.spi.provider.ProviderException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/** The classification shared by the HTTP providers: status codes, {@code Retry-After}, transport failures. */
public final class HttpErrors {
  private HttpErrors() {}

  /** The kind an HTTP status means before the body refines it. */
  public static ErrorKind kindForStatus(int status) {
    return switch (status) {
      case 429 -> ErrorKind.RATE_LIMITED;
      case 503, 529 -> ErrorKind.OVERLOADED;
      case 408, 504 -> ErrorKind.TIMEOUT;
      case 401, 403 -> ErrorKind.AUTH;
      case 400, 404, 405, 409, 415, 422 -> ErrorKind.INVALID_REQUEST;
      case 413 -> ErrorKind.CONTEXT_TOO_LONG;
      default -> status >= 500 ? ErrorKind.SERVER : ErrorKind.UNKNOWN;
    };
  }

  /**
   * How long the server asked to wait: {@code retry-after-ms} (OpenAI), else {@code retry-after} in seconds or as an
   * HTTP date (measured from the clock). Null when absent or unreadable.
   */
  public static @Nullable Duration retryAfter(HttpHeaders headers, Clock clock) {
    Optional<String> ms = headers.firstValue("retry-after-ms");
    if (ms.isPresent()) {
      try {
        return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.get().trim())));
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    Optional<String> ra = headers.firstValue("retry-after");
    if (ra.isEmpty()) {
      return null;
    }
    String v = ra.get().trim();
    try {
      return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(v) * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  /** Classifies a failure of the exchange itself (no HTTP status). */
  public static ProviderException fromThrowable(String provider, Throwable thrown, Redactor redactor) {
    Throwable t = thrown;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ProviderException pe) {
      return pe;
    }
    String detail = redactor.redact(t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    if (t instanceof HttpTimeoutException) {
      return new ProviderException(provider, ErrorKind.TIMEOUT,
          "the server did not answer in time (" + detail + "): raise timeout or connectTimeout", true, null, t);
    }
    if (t instanceof ConnectException) {
      return new ProviderException(provider, ErrorKind.NETWORK,
          "cannot connect (" + detail + "): check baseUrl and that the server is running", true, null, t);
    }
    if (t instanceof IOException) {
      return new ProviderException(provider, ErrorKind.NETWORK,
          "the connection failed or broke (" + detail + ")", true, null, t);
    }
    if (t instanceof CancellationException) {
      return new ProviderException(provider, ErrorKind.CANCELLED, "the call was cancelled", false, null, null);
    }
    return new ProviderException(provider, ErrorKind.UNKNOWN, "unexpected failure (" + detail + ")", false, null, t);
  }

  /** A reply that could not be read. Retryable: a second try usually reads. */
  public static ProviderException malformed(String provider, String what, @Nullable Throwable cause,
      Redactor redactor) {
    String detail = cause == null ? "" : " (" + redactor.redact(cause.getClass().getSimpleName()) + ")";
    return new ProviderException(provider, ErrorKind.MALFORMED_RESPONSE, what + detail, true, null, cause);
  }
}
