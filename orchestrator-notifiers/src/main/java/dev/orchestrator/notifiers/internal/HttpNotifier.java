package dev.orchestrator.notifiers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The common part of the HTTP channels: non-blocking sends on a shared JDK {@link HttpClient}, status
 * classification (2xx delivered; 408, 429 and 5xx retryable, honouring {@code Retry-After}; other 4xx final),
 * the {@value #IDEMPOTENCY_KEY} header, and messages that name the host only. Thread-safe.
 */
public abstract class HttpNotifier implements Notifier {
  /**
   * The header every request carries with the notification's idempotency key, when it has one: the same on every
   * send of one notification, for receivers (or a relay in front of them) to drop duplicates.
   */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final int SNIPPET = 200;

  protected final String name;
  protected final String type;
  protected final Clock clock;
  protected final Duration timeout;
  private final Redactor redactor;
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  protected HttpNotifier(PluginConfig config, PluginContext context) {
    this.name = config.name();
    this.type = config.type();
    this.clock = context.clock();
    this.timeout = config.duration("timeout", Duration.ofSeconds(10));
    this.redactor = Redactor.forConfigs(List.of(config));
    SharedHttp.warmUp();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return type;
  }

  /** The requests that deliver one notification (several when it goes to several recipients). */
  protected abstract List<HttpRequest> requests(Notification n) throws JsonProcessingException;

  /** The host this notifier posts to, for messages: {@code https://hooks.slack.com/****}. */
  protected abstract String target();

  @Override
  public CompletableFuture<Void> send(Notification n) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new NotifierException(name, "the notifier is closed: create a new one", false, null, null));
    }
    List<HttpRequest> requests;
    try {
      requests = requests(n);
    } catch (JsonProcessingException | RuntimeException e) {
      return CompletableFuture.failedFuture(new NotifierException(name, "could not build the request for "
          + target() + ": " + redactor.scrub(e.getMessage()), false, null, null));
    }
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (HttpRequest request : requests) {
      HttpRequest r = n.idempotencyKey() == null || request.headers().firstValue(IDEMPOTENCY_KEY).isPresent()
          ? request : HttpRequest.newBuilder(request, (k, v) -> true).header(IDEMPOTENCY_KEY, n.idempotencyKey())
          .build();
      CompletableFuture<HttpResponse<String>> call;
      try {
        call = SharedHttp.client().sendAsync(r, HttpResponse.BodyHandlers.ofString());
      } catch (RuntimeException e) {
        sends.add(CompletableFuture.failedFuture(classify(e)));
        continue;
      }
      inFlight.add(call);
      CompletableFuture<Void> outcome = new CompletableFuture<>();
      call.whenComplete((response, error) -> {
        inFlight.remove(call);
        if (error != null) {
          outcome.completeExceptionally(classify(error));
        } else {
          NotifierException e = check(response);
          if (e == null) {
            outcome.complete(null);
          } else {
            outcome.completeExceptionally(e);
          }
        }
      });
      sends.add(outcome);
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
  }

  private @Nullable NotifierException check(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return null;
    }
    String body = response.body() == null ? "" : redactor.scrub(response.body().strip());
    if (body.length() > SNIPPET) {
      body = body.substring(0, SNIPPET) + "...";
    }
    String what = target() + " answered HTTP " + status + (body.isEmpty() ? "" : " (" + body + ")");
    if (status == 429) {
      return new NotifierException(name, what + ": rate limited, will retry", true, retryAfter(response), null);
    }
    if (status == 408 || status >= 500) {
      return new NotifierException(name, what + ": the service failed, will retry", true, retryAfter(response),
          null);
    }
    if (status == 401 || status == 403) {
      return new NotifierException(name, what + ": not authorised, check the channel's credentials", false, null,
          null);
    }
    if (status == 404 || status == 410) {
      return new NotifierException(name, what + ": the endpoint does not exist (deleted webhook?), check the"
          + " channel's URL", false, null, null);
    }
    return new NotifierException(name, what + ": the request was refused", false, null, null);
  }

  private @Nullable Duration retryAfter(HttpResponse<?> response) {
    String v = response.headers().firstValue("Retry-After").orElse(null);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(v.trim());
      return seconds < 0 ? null : Duration.ofMillis((long) Math.ceil(seconds * 1000));
    } catch (NumberFormatException e) {
      try {
        Duration d = Duration.between(clock.instant(),
            ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException ignored) {
        return null;
      }
    }
  }

  private NotifierException classify(Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof CancellationException || closed) {
      return new NotifierException(name, "the send to " + target() + " was cancelled: the notifier was closed",
          false, null, null);
    }
    if (e instanceof HttpTimeoutException) {
      return new NotifierException(name, target() + " did not answer within " + timeout + ": will retry", true,
          null, null);
    }
    if (e instanceof ConnectException) {
      return new NotifierException(name, "could not connect to " + target() + ": will retry", true, null, null);
    }
    if (e instanceof IOException) {
      return new NotifierException(name, "the connection to " + target() + " failed ("
          + e.getClass().getSimpleName() + "): will retry", true, null, null);
    }
    return new NotifierException(name, "sending to " + target() + " failed (" + e.getClass().getSimpleName() + ": "
        + redactor.scrub(e.getMessage()) + ")", false, null, null);
  }

  /** A POST of a body with the common headers and timeout. */
  protected HttpRequest.Builder post(URI uri, String contentType, String body) {
    return HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", contentType)
        .header("User-Agent", "orchestrator-notifiers").POST(HttpRequest.BodyPublishers.ofString(body));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (CompletableFuture<?> f : inFlight) {
      f.cancel(true);
    }
    inFlight.clear();
  }

  /** Whether {@link #close()} was called. */
  protected boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[name=" + name + ", target=" + target() + "]";
  }

  /**
   * Reads a URL property: http(s), with a host; plain http only to the loopback address (tests, local relays).
   *
   * @throws IllegalArgumentException naming the property, never its value
   */
  public static URI url(PluginConfig config, String key) {
    String raw = config.require(key).trim();
    URI u;
    try {
      u = new URI(raw);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("property '" + key + "' is not a valid URL: check its spelling");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (u.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException("property '" + key + "' must be an https URL with a host");
    }
    if (scheme.equals("http") && !isLoopback(u.getHost())) {
      throw new IllegalArgumentException("property '" + key + "' must use https (plain http is allowed only to"
          + " 127.0.0.1 or localhost): the URL is a secret and must not cross the network in clear");
    }
    return u;
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
  }
}
