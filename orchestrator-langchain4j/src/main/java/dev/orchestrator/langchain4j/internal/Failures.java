package dev.orchestrator.langchain4j.internal;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.HttpErrors;
import dev.orchestrator.providers.http.Redactor;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderException.Billing;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Classifies what a LangChain4j {@code ChatModel} threw as the bundled providers classify their own failures, so the
 * engine's retries, failover and circuit breakers treat a bridged model the same way.
 *
 * <p>LangChain4j's model modules map an HTTP error to an exception type and keep the {@link HttpException} (with its
 * status) as the cause: 401/403 {@link AuthenticationException}, 404 {@link ModelNotFoundException}, 408
 * {@link TimeoutException}, 429 {@link RateLimitException}, other 4xx {@link InvalidRequestException}, 5xx
 * {@link InternalServerException}. The status, where there is one, decides the kind and the billing exactly as for
 * the native providers ({@link HttpErrors#kindForStatus}, {@link HttpErrors#billingForStatus}); the type decides where
 * there is none. A failure of the connection itself (refused, timed out, broken) is classified from its
 * {@link IOException} by {@link HttpErrors#fromThrowable}.
 *
 * <p>Messages never hold a secret nor an error body: from a body only its {@code error.message} is kept
 * ({@link HttpErrors#message}), and every message passes the {@link Redactor}.
 */
public final class Failures {
  private Failures() {}

  /** The classified failure of a call to a bridged model. */
  public static ProviderException classify(String provider, Throwable thrown, Redactor redactor) {
    Throwable t = thrown;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ProviderException pe) {
      return pe;
    }
    if (t instanceof CancellationException || causeOf(t, InterruptedException.class) != null) {
      return new ProviderException(provider, ErrorKind.CANCELLED, "the call was cancelled", false, null, null,
          Billing.MAY_HAVE_BILLED, TokenUsage.NONE, Money.ZERO);
    }
    HttpException http = causeOf(t, HttpException.class);
    if (http != null) {
      return fromStatus(provider, t, http, redactor);
    }
    IOException io = causeOf(t, IOException.class);
    if (io != null && !(t instanceof UnresolvedModelServerException)) {
      return HttpErrors.fromThrowable(provider, io, redactor);
    }
    String detail = redactor.redact(t.getClass().getSimpleName() + (t.getMessage() == null ? ""
        : ": " + t.getMessage()));
    ErrorKind kind;
    String fix;
    Billing billing = null;
    if (t instanceof RateLimitException) {
      kind = ErrorKind.RATE_LIMITED;
      fix = "the model's rate limit was reached: the engine waits and retries";
    } else if (t instanceof AuthenticationException) {
      kind = ErrorKind.AUTH;
      fix = "check the API key the ChatModel was built with";
    } else if (t instanceof ModelNotFoundException) {
      kind = ErrorKind.INVALID_REQUEST;
      fix = "check the model name the ChatModel was built with";
    } else if (t instanceof ContentFilteredException) {
      kind = ErrorKind.CONTENT_REFUSED;
      fix = "the vendor refused the content: change the prompt";
    } else if (t instanceof InvalidRequestException) {
      kind = contextTooLong(t.getMessage()) ? ErrorKind.CONTEXT_TOO_LONG : ErrorKind.INVALID_REQUEST;
      fix = kind == ErrorKind.CONTEXT_TOO_LONG ? "shorten the prompt or pick a model with a longer context"
          : "the model refused the request: check the task's settings";
    } else if (t instanceof TimeoutException) {
      kind = ErrorKind.TIMEOUT;
      fix = "raise the ChatModel's timeout or ask for less output";
    } else if (t instanceof InternalServerException) {
      kind = ErrorKind.SERVER;
      fix = "the vendor failed: the engine retries";
    } else if (t instanceof UnresolvedModelServerException) {
      kind = ErrorKind.NETWORK;
      fix = "check the ChatModel's base URL and the network's DNS";
      billing = Billing.NOT_BILLED;
    } else if (t instanceof RetriableException) {
      kind = ErrorKind.SERVER;
      fix = "LangChain4j marks it transient: the engine retries";
    } else {
      kind = ErrorKind.UNKNOWN;
      fix = "unexpected failure of the ChatModel";
    }
    return new ProviderException(provider, kind, detail + " (" + fix + ")", kind.retryable(), null, t,
        billing == null ? Billing.defaultFor(kind) : billing, TokenUsage.NONE, Money.ZERO);
  }

  private static ProviderException fromStatus(String provider, Throwable t, HttpException http, Redactor redactor) {
    int status = http.statusCode();
    String message = HttpErrors.message(String.valueOf(http.getMessage()));
    ErrorKind kind = HttpErrors.kindForStatus(status);
    if (t instanceof ContentFilteredException) {
      kind = ErrorKind.CONTENT_REFUSED;
    } else if (kind == ErrorKind.INVALID_REQUEST && contextTooLong(message)) {
      kind = ErrorKind.CONTEXT_TOO_LONG;
    } else if (kind == ErrorKind.UNKNOWN && t instanceof RateLimitException) {
      kind = ErrorKind.RATE_LIMITED;
    } else if (kind == ErrorKind.UNKNOWN && t instanceof InvalidRequestException) {
      kind = ErrorKind.INVALID_REQUEST; // a 4xx the status table does not name
    }
    return new ProviderException(provider, kind, "HTTP " + status + ": " + redactor.redact(message),
        kind.retryable(), null, null, HttpErrors.billingForStatus(status), TokenUsage.NONE, Money.ZERO);
  }

  private static boolean contextTooLong(@Nullable String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    return m.contains("context_length") || m.contains("context length") || m.contains("too many tokens")
        || m.contains("prompt is too long");
  }

  private static <T extends Throwable> @Nullable T causeOf(Throwable t, Class<T> kind) {
    int depth = 0;
    for (Throwable c = t; c != null && depth < 20; c = c.getCause() == c ? null : c.getCause(), depth++) {
      if (kind.isInstance(c)) {
        return kind.cast(c);
      }
    }
    return null;
  }
}
