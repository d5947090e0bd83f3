package dev.orchestrator.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Scheduler;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.Provider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the HTTP providers share: configuration, the asynchronous exchange (no thread is held while waiting),
 * streaming through server-sent events, the time limit (through the engine's scheduler), cancellation (aborts the
 * exchange, or cancels the body subscription mid-stream so the connection closes at once), error classification and
 * costing. Subclasses write the vendor's wire format. Thread-safe.
 */
public abstract class HttpProvider implements Provider {
  private static final Logger log = LoggerFactory.getLogger(HttpProvider.class);
  protected static final String USER_AGENT = "orchestrator-providers/0.1";

  protected final Settings settings;
  protected final String name;
  protected final String type;
  protected final String model;
  protected final URI baseUrl;
  protected final @Nullable String apiKey;
  protected final Redactor redactor;
  protected final Pricing pricing;
  protected final Duration timeout;
  protected final int maxOutputTokens;
  protected final @Nullable Double temperature;
  protected final boolean stream;
  protected final Clock clock;
  private final Scheduler scheduler;
  private final HttpClient client;
  private volatile boolean closed;

  protected HttpProvider(Settings s, String defaultModel, String defaultBaseUrl, @Nullable String apiKey) {
    this.settings = s;
    this.name = s.name();
    this.type = s.config().type();
    this.model = s.string("model", defaultModel);
    this.baseUrl = s.baseUrl(defaultBaseUrl);
    this.apiKey = apiKey;
    this.redactor = Redactor.of(apiKey);
    this.pricing = Pricing.from(s, model);
    this.timeout = s.duration("timeout", Duration.ofMinutes(5));
    this.maxOutputTokens = s.integer("maxOutputTokens", 4096, 1, 1_000_000);
    this.temperature = s.decimalOrNull("temperature", 0, 2);
    this.stream = s.bool("stream", false);
    this.clock = s.context().clock();
    this.scheduler = s.context().scheduler();
    this.client = HttpClient.newBuilder()
        .connectTimeout(s.duration("connectTimeout", Duration.ofSeconds(10)))
        // h2c upgrade requests confuse some local servers; HTTP/2 only where TLS negotiates it
        .version(baseUrl.getScheme().equals("https") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** Builds the vendor's HTTP request for a call. */
  protected abstract HttpRequest newRequest(ProviderRequest request, boolean streaming);

  /** Reads the vendor's whole (non-streamed) reply. */
  protected abstract ProviderResponse parseResponse(JsonNode body) throws ProviderException;

  /** A fresh assembler for one streamed reply. */
  protected abstract StreamAssembler newAssembler();

  /** Classifies an HTTP error reply from the vendor's error body. */
  protected abstract ProviderException errorFrom(int status, HttpHeaders headers, String body);

  /** Assembles a streamed reply from its events. Not thread-safe: one per stream. */
  protected interface StreamAssembler {
    void onEvent(@Nullable String event, String data) throws Exception;

    /** The whole reply once the stream ended; fails as malformed when the stream was cut short. */
    ProviderResponse finish() throws ProviderException;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String type() {
    return type;
  }

  /** The configured model. */
  public final String model() {
    return model;
  }

  @Override
  public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    if (closed) {
      return CompletableFuture.failedFuture(ProviderException.closed(name));
    }
    HttpRequest http;
    try {
      http = newRequest(request, stream);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new ProviderException(name, ErrorKind.INVALID_REQUEST,
          redactor.redact(e.getMessage()), false, null, e));
    }
    Duration limit = request.timeout() != null ? request.timeout() : timeout;
    log.debug("Provider call started (provider={}, type={}, model={}, stream={}, project={}, run={}, task={},"
        + " attempt={})", name, type, model, stream, context.project(), context.runId(), context.taskId(),
        context.attempt());
    long started = System.nanoTime();
    CompletableFuture<ProviderResponse> out = exchange(http, stream, limit);
    out.whenComplete((r, e) -> {
      long ms = (System.nanoTime() - started) / 1_000_000;
      if (r != null) {
        log.debug("Provider call succeeded (provider={}, model={}, task={}, inputTokens={}, outputTokens={},"
            + " cost={}, elapsedMs={})", name, r.model(), context.taskId(), r.usage().inputTokens(),
            r.usage().outputTokens(), r.cost(), ms);
      } else if (e instanceof ProviderException pe) {
        log.debug("Provider call failed (provider={}, task={}, kind={}, retryable={}, elapsedMs={})", name,
            context.taskId(), pe.kind(), pe.retryable(), ms);
      }
    });
    return out;
  }

  private CompletableFuture<ProviderResponse> exchange(HttpRequest request, boolean streaming, Duration limit) {
    CompletableFuture<ProviderResponse> out = new CompletableFuture<>();
    AtomicReference<Flow.@Nullable Subscription> subscription = new AtomicReference<>();
    HttpResponse.BodyHandler<Void> handler = info -> {
      int status = info.statusCode();
      if (status >= 300 || !streaming) {
        return BodySubscribers.mapping(BodySubscribers.ofString(StandardCharsets.UTF_8), body -> {
          onWholeBody(status, info.headers(), body, out);
          return null;
        });
      }
      return BodySubscribers.fromLineSubscriber(new EventLines(newAssembler(), out, subscription), s -> null,
          StandardCharsets.UTF_8, null);
    };
    CompletableFuture<HttpResponse<Void>> http = client.sendAsync(request, handler);
    http.whenComplete((r, e) -> {
      if (e != null) {
        out.completeExceptionally(HttpErrors.fromThrowable(name, e, redactor));
      } else if (!out.isDone()) {
        out.completeExceptionally(HttpErrors.malformed(name, "the reply ended without a body", null, redactor));
      }
    });
    Scheduler.Cancellable timer = scheduler.schedule(() -> out.completeExceptionally(new ProviderException(name,
        ErrorKind.TIMEOUT, "no complete reply within " + limit + ": raise the timeout or ask for less output", true,
        null, null)), limit);
    out.whenComplete((r, e) -> {
      timer.cancel();
      if (e != null) {
        // cancelled, timed out or failed: stop reading and drop the connection now
        Flow.Subscription s = subscription.get();
        if (s != null) {
          s.cancel();
        }
        http.cancel(true);
      }
    });
    return out;
  }

  private void onWholeBody(int status, HttpHeaders headers, String body, CompletableFuture<ProviderResponse> out) {
    if (out.isDone()) {
      return;
    }
    try {
      if (status >= 300) {
        out.completeExceptionally(errorFrom(status, headers, body));
        return;
      }
      JsonNode json;
      try {
        json = Json.read(body);
      } catch (Exception e) {
        out.completeExceptionally(HttpErrors.malformed(name,
            "the reply is not valid JSON (" + body.length() + " characters; truncated or not the vendor's API?)", e,
            redactor));
        return;
      }
      out.complete(parseResponse(json));
    } catch (ProviderException e) {
      out.completeExceptionally(e);
    } catch (RuntimeException e) {
      out.completeExceptionally(HttpErrors.malformed(name, "the reply has an unexpected shape", e, redactor));
    }
  }

  /** Feeds streamed lines to an assembler; completes the call when the stream ends. */
  private final class EventLines implements Flow.Subscriber<String> {
    private final StreamAssembler assembler;
    private final SseParser parser;
    private final CompletableFuture<ProviderResponse> out;
    private final AtomicReference<Flow.@Nullable Subscription> subscription;

    EventLines(StreamAssembler assembler, CompletableFuture<ProviderResponse> out,
        AtomicReference<Flow.@Nullable Subscription> subscription) {
      this.assembler = assembler;
      this.parser = new SseParser(assembler::onEvent);
      this.out = out;
      this.subscription = subscription;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription.set(s);
      if (out.isDone()) {
        s.cancel();
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(String line) {
      if (out.isDone()) {
        return;
      }
      try {
        parser.line(line);
      } catch (ProviderException e) {
        out.completeExceptionally(e);
      } catch (Exception e) {
        out.completeExceptionally(HttpErrors.malformed(name, "a streamed event could not be read", e, redactor));
      }
    }

    @Override
    public void onError(Throwable t) {
      out.completeExceptionally(HttpErrors.fromThrowable(name, t, redactor));
    }

    @Override
    public void onComplete() {
      if (out.isDone()) {
        return;
      }
      try {
        parser.end();
        out.complete(assembler.finish());
      } catch (ProviderException e) {
        out.completeExceptionally(e);
      } catch (Exception e) {
        out.completeExceptionally(HttpErrors.malformed(name, "a streamed event could not be read", e, redactor));
      }
    }
  }

  /** A reply costed from the table: streamed and whole replies go through here, so they cost the same. */
  protected final ProviderResponse reply(String text, TokenUsage usage, @Nullable String answeringModel,
      @Nullable String responseId) {
    String m = answeringModel == null || answeringModel.isBlank() ? model : answeringModel;
    return ProviderResponse.builder().text(text).usage(usage).model(m).responseId(responseId)
        .cost(pricing.cost(m, usage)).build();
  }

  /** An error of the given kind with the status's default retryability and the server's wait, if any. */
  protected final ProviderException error(ErrorKind kind, int status, HttpHeaders headers, String message) {
    boolean retryable = kind.retryable();
    return new ProviderException(name, kind, "HTTP " + status + ": " + redactor.redact(message), retryable,
        HttpErrors.retryAfter(headers, clock), null);
  }

  /** A reply the vendor refused to give. */
  protected final ProviderException refused(String why) {
    return new ProviderException(name, ErrorKind.CONTENT_REFUSED, redactor.redact(why), false, null, null);
  }

  /** A common request builder: JSON body, user agent and the call's URI. */
  protected final HttpRequest.Builder jsonPost(URI uri, JsonNode body, boolean streaming) {
    return HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .header("Accept", streaming ? "text/event-stream" : "application/json")
        .header("User-Agent", USER_AGENT)
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
  }

  /** {@code base + path}, keeping the base's own path. */
  protected final URI resolve(String path) {
    return URI.create(baseUrl.toString() + path);
  }

  /**
   * The output tokens to ask for: the task's value, capped by the instance's {@code maxOutputTokens} when that is
   * configured (a task or template asking for more does not lift the cap), else the instance's default.
   */
  protected final int maxTokens(ProviderRequest request) {
    Integer cap = settings.optional("maxOutputTokens") == null ? null : maxOutputTokens;
    return Estimates.maxOutput(request.maxOutputTokens(), cap, maxOutputTokens);
  }

  /** Bounded by the model's price and the output tokens asked for; see {@link Estimates}. */
  @Override
  public CostEstimate estimate(ProviderRequest request) {
    return Estimates.estimate(pricing, type, model, request, maxTokens(request), 60, Duration.ofMillis(800));
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[name=" + name + ", model=" + model + ", baseUrl="
        + Redactor.url(baseUrl.toString()) + ", stream=" + stream + ", apiKey=" + (apiKey == null ? "none" : "****")
        + "]";
  }

  /** Lower-case text or empty, for matching vendor error codes. */
  protected static String lower(@Nullable String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
