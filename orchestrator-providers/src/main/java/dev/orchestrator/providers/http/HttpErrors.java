package dev.orchestrator.providers.http;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderException.Billing;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * The classification shared by the HTTP providers: status codes, {@code Retry-After}, transport failures, and whether
 * each failure may have been billed. A failure is {@link Billing#NOT_BILLED} only when the vendor cannot have done any
 * work: the connection was never opened, or the vendor answered with an error status. Anything after the request
 * went out (a timeout, a broken or cut connection, an unreadable reply) {@link Billing#MAY_HAVE_BILLED}.
 */
public final class HttpErrors {
  private HttpErrors() {}

  /**
   * Whether an HTTP error status was billed. A gateway timeout (504) is the one status that comes after the vendor may
   * have worked: the proxy in front of the model gave up waiting for it, so the model may have generated.
   */
  public static Billing billingForStatus(int status) {
    return status == 504 ? Billing.MAY_HAVE_BILLED : Billing.NOT_BILLED;
  }

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

  /** Classifies a failure of the exchange itself (no HTTP status), with no usage seen. */
  public static ProviderException fromThrowable(String provider, Throwable thrown, Redactor redactor) {
    return fromThrowable(provider, thrown, redactor, TokenUsage.NONE, Money.ZERO);
  }

  /**
   * Classifies a failure of the exchange itself (no HTTP status).
   *
   * @param usage what the vendor reported before the failure (a stream's first usage), {@link TokenUsage#NONE} if
   *     nothing
   * @param cost that usage priced
   */
  public static ProviderException fromThrowable(String provider, Throwable thrown, Redactor redactor,
      TokenUsage usage, Money cost) {
    return fromThrowable(provider, thrown, redactor, null, usage, cost);
  }

  /**
   * Classifies a failure of the exchange itself (no HTTP status) with the address it was sent to, so a message says
   * which server could not be reached.
   *
   * @param where the request's address (its query is left out), or null
   */
  public static ProviderException fromThrowable(String provider, Throwable thrown, Redactor redactor,
      @Nullable URI where, TokenUsage usage, Money cost) {
    String to = where == null ? "" : " " + redactor.redact(withoutQuery(where));
    Throwable t = thrown;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ProviderException pe) {
      return pe;
    }
    String detail = redactor.redact(t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    if (t instanceof HttpConnectTimeoutException) {
      return new ProviderException(provider, ErrorKind.NETWORK, "cannot connect to" + to + " in time (" + detail
          + "): raise connectTimeout or check baseUrl", true, null, t, Billing.NOT_BILLED, TokenUsage.NONE, Money.ZERO);
    }
    Throwable tls = causeOf(t, SSLException.class);
    if (tls != null) {
      return new ProviderException(provider, ErrorKind.NETWORK, "the TLS handshake with" + to + " failed ("
          + redactor.redact(String.valueOf(tls.getMessage())) + "): check the server's certificate and the trust "
          + "store, or whether baseUrl should use http", false, null, t, Billing.NOT_BILLED, TokenUsage.NONE,
          Money.ZERO);
    }
    if (causeOf(t, UnknownHostException.class) != null || causeOf(t, UnresolvedAddressException.class) != null) {
      return new ProviderException(provider, ErrorKind.NETWORK, "cannot resolve the host of" + to + " (" + detail
          + "): check baseUrl's host name and the network's DNS", true, null, t, Billing.NOT_BILLED, TokenUsage.NONE,
          Money.ZERO);
    }
    if (t instanceof HttpTimeoutException) {
      return new ProviderException(provider, ErrorKind.TIMEOUT,
          "the server did not answer in time (" + detail + "): raise timeout or connectTimeout", true, null, t,
          Billing.MAY_HAVE_BILLED, usage, cost);
    }
    if (neverConnected(t)) {
      return new ProviderException(provider, ErrorKind.NETWORK,
          "cannot connect to" + to + " (" + detail + "): check baseUrl and that the server is running", true, null, t,
          Billing.NOT_BILLED, TokenUsage.NONE, Money.ZERO);
    }
    if (t instanceof IOException) {
      return new ProviderException(provider, ErrorKind.NETWORK,
          "the connection failed or broke (" + detail + ")", true, null, t, Billing.MAY_HAVE_BILLED, usage, cost);
    }
    if (t instanceof CancellationException) {
      return new ProviderException(provider, ErrorKind.CANCELLED, "the call was cancelled", false, null, null,
          Billing.MAY_HAVE_BILLED, usage, cost);
    }
    return new ProviderException(provider, ErrorKind.UNKNOWN, "unexpected failure (" + detail + ")", false, null, t,
        Billing.MAY_HAVE_BILLED, usage, cost);
  }

  private static @Nullable Throwable causeOf(Throwable t, Class<? extends Throwable> kind) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (kind.isInstance(c)) {
        return c;
      }
    }
    return null;
  }

  private static String withoutQuery(URI uri) {
    String s = uri.toString();
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q);
  }

  /** A connection that was never opened (refused, unknown host): the request never reached the vendor. */
  private static boolean neverConnected(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ConnectException || c instanceof UnknownHostException
          || c instanceof UnresolvedAddressException) {
        return true;
      }
    }
    return false;
  }

  /** A reply that could not be read, with no usage read from it. */
  public static ProviderException malformed(String provider, String what, @Nullable Throwable cause,
      Redactor redactor) {
    return malformed(provider, what, cause, redactor, TokenUsage.NONE, Money.ZERO);
  }

  /**
   * A reply that could not be read. It came after the vendor accepted the request, so the call may have been billed
   * (for at least {@code usage}). Retryable: a second try usually reads.
   */
  public static ProviderException malformed(String provider, String what, @Nullable Throwable cause,
      Redactor redactor, TokenUsage usage, Money cost) {
    String detail = cause == null ? "" : " (" + redactor.redact(cause.getClass().getSimpleName()) + ")";
    return new ProviderException(provider, ErrorKind.MALFORMED_RESPONSE, what + detail, true, null, cause,
        Billing.MAY_HAVE_BILLED, usage, cost);
  }

  /**
   * The message of a JSON error body: {@code error.message}, a textual {@code error} or {@code message}; else says
   * the body is empty or not JSON. Never the body itself, which may echo the request.
   */
  public static String message(String body) {
    if (body.isBlank()) {
      return "empty error body";
    }
    try {
      com.fasterxml.jackson.databind.JsonNode json = Json.read(body);
      com.fasterxml.jackson.databind.JsonNode error = json.get("error");
      String m = error != null && error.isTextual() ? error.asText()
          : error != null ? Json.text(error, "message") : Json.text(json, "message");
      return m == null ? "no error message in the body" : m;
    } catch (Exception e) {
      return "error body is not JSON";
    }
  }
}
