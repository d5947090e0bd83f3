package dev.orchestrator.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.Scheduler;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.Health;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderException.Billing;
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
 * The base of an HTTP provider plugin: configuration, the asynchronous exchange (no thread is held while waiting),
 * streaming through server-sent events, the time limit (through the engine's scheduler), cancellation (aborts the
 * exchange, or cancels the body subscription mid-stream so the connection closes at once), error classification and
 * costing. A subclass writes only the vendor's wire format, through five extension points:
 * <ul>
 * <li>{@link #newRequest}: building the HTTP request for a call (use {@link #jsonPost} and {@link #resolve});
 * <li>{@link #parseResponse}: reading a whole reply into text and usage (finish with {@link #reply});
 * <li>{@link #newAssembler}: reading a streamed reply one event at a time, keeping its usage so far;
 * <li>{@link #errorFrom}: refining an HTTP error reply from the vendor's error body (optional: the default maps the
 *     status and reads {@code error.message});
 * <li>{@link #probeRequest}: the free request a health probe sends (the vendor's model list).
 * </ul>
 * Everything else is final: the engine-facing methods ({@link #complete}, {@link #probe}, {@link #estimate},
 * {@link #close}) behave the same for every vendor.
 *
 * <pre>{@code
 * final class EchoProvider extends HttpProvider {
 *   EchoProvider(Settings s) {
 *     super(s, "echo-1", "https://api.echo.example/v1", s.apiKey("ECHO_API_KEY", true), PriceTable.empty()
 *         .with("echo-1", ModelPrice.of(new BigDecimal("0.50"), new BigDecimal("1.50"))));
 *   }
 *   protected HttpRequest newRequest(ProviderRequest r, boolean streaming) {
 *     ObjectNode body = Json.object().put("model", model).put("prompt", Prompts.user(r));
 *     return jsonPost(resolve("/echo"), body, streaming).header("Authorization", "Bearer " + apiKey).build();
 *   }
 *   protected ProviderResponse parseResponse(JsonNode body) {
 *     return reply(body.path("text").asText(), TokenUsage.of(Json.count(body, "in"), Json.count(body, "out")),
 *         Json.text(body, "model"), Json.text(body, "id"));
 *   }
 *   ...
 * }
 * }</pre>
 *
 * <p>A failed call is never free: every {@link ProviderException} says whether the vendor billed it and carries the
 * usage that arrived before the failure, priced. A stream keeps its usage so far in its {@link StreamAssembler}, so a
 * stream cut, timed out or broken after the vendor reported usage fails with that usage.
 */
public abstract class HttpProvider implements AiProvider {
  private static final Logger log = LoggerFactory.getLogger(HttpProvider.class);
  protected static final String USER_AGENT = "orchestrator-providers/0.1";
  /** The headers plugins add to every request (trace context), found once. */
  private static final java.util.List<RequestHeaders> EXTRA_HEADERS = loadExtraHeaders();

  /** The instance's properties, for a subclass's own settings. */
  private final Settings settings;
  private final String name;
  private final String type;
  private final String model;
  private final URI baseUrl;
  private final @Nullable String apiKey;
  private final Redactor redactor;
  private final Pricing pricing;
  private final Duration timeout;
  private final int maxOutputTokens;
  private final @Nullable Double temperature;
  private final boolean stream;
  private final Clock clock;
  private final Scheduler scheduler;
  private final HttpClient client;
  private volatile boolean closed;

  /**
   * Reads the common settings, prices the models from the bundled table ({@link PriceTable#bundled()}).
   *
   * @throws IllegalArgumentException naming the instance, the property and the fix when a setting is invalid
   */
  protected HttpProvider(Settings s, String defaultModel, String defaultBaseUrl, @Nullable String apiKey) {
    this(s, defaultModel, defaultBaseUrl, apiKey, PriceTable.bundled());
  }

  /**
   * Reads the common settings: {@code model}, {@code baseUrl}, {@code timeout}, {@code connectTimeout},
   * {@code maxOutputTokens}, {@code temperature}, {@code stream} and the pricing properties ({@code price.*},
   * {@code pricingFile}, {@code maxCostPerCall}), which are laid over {@code prices}.
   *
   * @param apiKey the key, redacted from every message; null when the server needs none
   * @param prices the plugin's own price table, such as {@code PriceTable.empty().with("model", price)}
   * @throws IllegalArgumentException naming the instance, the property and the fix when a setting is invalid
   */
  protected HttpProvider(Settings s, String defaultModel, String defaultBaseUrl, @Nullable String apiKey,
      PriceTable prices) {
    this.settings = s;
    this.name = s.name();
    this.type = s.config().type();
    this.model = s.string("model", defaultModel);
    this.baseUrl = s.baseUrl(defaultBaseUrl);
    this.apiKey = apiKey;
    this.redactor = Redactor.of(apiKey);
    this.pricing = Pricing.from(s, model, prices);
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

  /**
   * Classifies an HTTP error reply (status 300 and above) from the vendor's error body. The default maps the status
   * ({@link HttpErrors#kindForStatus}), honours {@code Retry-After} and reports the body's {@code error.message},
   * {@code error} or {@code message}; override it to read the vendor's error codes, then return
   * {@link #error(ErrorKind, int, HttpHeaders, String)}.
   */
  protected ProviderException errorFrom(int status, HttpHeaders headers, String body) {
    return error(HttpErrors.kindForStatus(status), status, headers, HttpErrors.message(body));
  }

  /** The vendor's free request for a health probe (its model list), with its authentication. */
  protected abstract HttpRequest probeRequest();

  /**
   * Assembles a streamed reply from its events. Events arrive one at a time on the HTTP client's threads; the usage
   * so far may be read from another thread (a timeout), so implementations publish it safely.
   */
  protected interface StreamAssembler {
    void onEvent(@Nullable String event, String data) throws Exception;

    /** The whole reply once the stream ended; fails as malformed when the stream was cut short. */
    ProviderResponse finish() throws ProviderException;

    /** The usage the stream reported so far (the vendor's latest cumulative count), NONE before any. */
    default TokenUsage usageSoFar() {
      return TokenUsage.NONE;
    }

    /** The model the stream named so far, or null. */
    default @Nullable String modelSoFar() {
      return null;
    }
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
  public final CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
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
    http = withExtraHeaders(http);
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

  @Override
  public final CompletableFuture<Health> probe() {
    if (closed) {
      return CompletableFuture.completedFuture(Health.down(null, "the provider instance is closed"));
    }
    return HealthProbe.send(client, probeRequest(), name, redactor);
  }

  private CompletableFuture<ProviderResponse> exchange(HttpRequest request, boolean streaming, Duration limit) {
    CompletableFuture<ProviderResponse> out = new CompletableFuture<>();
    AtomicReference<Flow.@Nullable Subscription> subscription = new AtomicReference<>();
    AtomicReference<@Nullable StreamAssembler> stream = new AtomicReference<>();
    HttpResponse.BodyHandler<Void> handler = info -> {
      int status = info.statusCode();
      if (status >= 300 || !streaming) {
        return BodySubscribers.mapping(BodySubscribers.ofString(StandardCharsets.UTF_8), body -> {
          onWholeBody(status, info.headers(), body, out);
          return null;
        });
      }
      StreamAssembler assembler = newAssembler();
      stream.set(assembler);
      return BodySubscribers.fromLineSubscriber(new EventLines(assembler, out, subscription,
          e -> withUsageSoFar(e, assembler),
          e -> HttpErrors.malformed(name, "a streamed event could not be read", e, redactor),
          t -> HttpErrors.fromThrowable(name, t, redactor, request.uri(), TokenUsage.NONE, Money.ZERO)), s -> null,
          StandardCharsets.UTF_8, null);
    };
    CompletableFuture<HttpResponse<Void>> http = client.sendAsync(request, handler);
    http.whenComplete((r, e) -> {
      if (e != null) {
        out.completeExceptionally(withUsageSoFar(HttpErrors.fromThrowable(name, e, redactor, request.uri(),
            TokenUsage.NONE, Money.ZERO), stream.get()));
      } else if (!out.isDone()) {
        out.completeExceptionally(HttpErrors.malformed(name, "the reply ended without a body", null, redactor));
      }
    });
    // the request may already be with the vendor, working: whatever the stream reported so far is kept
    Scheduler.Cancellable timer = scheduler.schedule(() -> out.completeExceptionally(withUsageSoFar(
        new ProviderException(name, ErrorKind.TIMEOUT, "no complete reply within " + limit
            + ": raise the timeout or ask for less output", true, null, null, Billing.MAY_HAVE_BILLED,
            TokenUsage.NONE, Money.ZERO), stream.get())), limit);
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

  /** A reply costed from the table: streamed and whole replies go through here, so they cost the same. */
  protected final ProviderResponse reply(String text, TokenUsage usage, @Nullable String answeringModel,
      @Nullable String responseId) {
    String m = modelOrConfigured(answeringModel);
    return ProviderResponse.builder().text(text).usage(usage).model(m).responseId(responseId)
        .cost(pricing.cost(m, usage)).costBasis(pricing.basis(m)).build();
  }

  /** What a usage costs for the model that answered (the configured one when none is named). */
  protected final Money cost(@Nullable String answeringModel, TokenUsage usage) {
    return usage.equals(TokenUsage.NONE) ? Money.ZERO : pricing.cost(modelOrConfigured(answeringModel), usage);
  }

  private String modelOrConfigured(@Nullable String answeringModel) {
    return answeringModel == null || answeringModel.isBlank() ? model : answeringModel;
  }

  /**
   * An HTTP error reply: the vendor refused the request before doing any work, so it is not billed (but see
   * {@link HttpErrors#billingForStatus}). Retryable when the kind is, with the server's wait, if any.
   */
  protected final ProviderException error(ErrorKind kind, int status, HttpHeaders headers, String message) {
    return error(kind, status, kind.retryable(), HttpErrors.retryAfter(headers, clock), message);
  }

  /** An HTTP error reply with its own retryability and wait. */
  protected final ProviderException error(ErrorKind kind, int status, boolean retryable,
      @Nullable Duration retryAfter, String message) {
    return new ProviderException(name, kind, "HTTP " + status + ": " + redactor.redact(message), retryable,
        retryAfter, null, HttpErrors.billingForStatus(status), TokenUsage.NONE, Money.ZERO);
  }

  /**
   * An error the vendor reported inside a successful reply or stream: the vendor accepted the request and may have
   * worked on it, so it may have billed; a stream's usage so far is added where the stream fails.
   */
  protected final ProviderException errorInReply(ErrorKind kind, String message, @Nullable Duration retryAfter) {
    return new ProviderException(name, kind, redactor.redact(message), kind.retryable(), retryAfter, null,
        Billing.MAY_HAVE_BILLED, TokenUsage.NONE, Money.ZERO);
  }

  /**
   * A reply the vendor refused or filtered. Billed at its usage when the vendor reported one; when it reported none
   * the call may still have been billed.
   *
   * @param usage the reply's usage, or null when the reply carried none
   */
  protected final ProviderException refused(String why, @Nullable TokenUsage usage, @Nullable String answeringModel) {
    return new ProviderException(name, ErrorKind.CONTENT_REFUSED, redactor.redact(why), false, null, null,
        usage == null ? Billing.MAY_HAVE_BILLED : Billing.BILLED, usage == null ? TokenUsage.NONE : usage,
        usage == null ? Money.ZERO : cost(answeringModel, usage));
  }

  /** A 200 reply that is not the vendor's shape; it may have been billed for at least {@code usage}. */
  protected final ProviderException malformed(String what, TokenUsage usage, @Nullable String answeringModel) {
    return HttpErrors.malformed(name, what, null, redactor, usage, cost(answeringModel, usage));
  }

  /**
   * A failure that may have been billed, given the usage its stream reported before it failed, when it carries none
   * of its own.
   */
  private ProviderException withUsageSoFar(ProviderException e, @Nullable StreamAssembler assembler) {
    if (assembler == null || e.billing() != Billing.MAY_HAVE_BILLED || !e.usage().equals(TokenUsage.NONE)) {
      return e;
    }
    TokenUsage usage = assembler.usageSoFar();
    if (usage.equals(TokenUsage.NONE)) {
      return e;
    }
    String prefix = e.provider() + " " + e.kind() + ": ";
    String message = String.valueOf(e.getMessage());
    ProviderException priced = new ProviderException(e.provider(), e.kind(),
        message.startsWith(prefix) ? message.substring(prefix.length()) : message, e.retryable(), e.retryAfter(),
        e.getCause(), e.billing(), usage, cost(assembler.modelSoFar(), usage));
    priced.setStackTrace(e.getStackTrace());
    return priced;
  }

  private static java.util.List<RequestHeaders> loadExtraHeaders() {
    java.util.List<RequestHeaders> found = new java.util.ArrayList<>();
    try {
      java.util.ServiceLoader.load(RequestHeaders.class, HttpProvider.class.getClassLoader()).forEach(found::add);
    } catch (java.util.ServiceConfigurationError e) {
      log.warn("A request header plugin could not be loaded; requests go without its headers", e);
    }
    return java.util.List.copyOf(found);
  }

  /** {@code http} with the headers of the {@link RequestHeaders} plugins it does not set itself. */
  private HttpRequest withExtraHeaders(HttpRequest http) {
    if (EXTRA_HEADERS.isEmpty()) {
      return http;
    }
    java.util.Map<String, String> extra = new java.util.LinkedHashMap<>();
    for (RequestHeaders h : EXTRA_HEADERS) {
      try {
        h.headers().forEach((k, v) -> {
          if (http.headers().firstValue(k).isEmpty()) {
            extra.putIfAbsent(k, v);
          }
        });
      } catch (RuntimeException e) {
        log.warn("Request header plugin {} failed; the request goes without its headers (provider={})",
            h.getClass().getName(), name, e);
      }
    }
    if (extra.isEmpty()) {
      return http;
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(http, (k, v) -> true);
    extra.forEach(b::header);
    return b.build();
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
  public final CostEstimate estimate(ProviderRequest request) {
    return Estimates.estimate(pricing, type, model, request, maxTokens(request), 60, Duration.ofMillis(800));
  }

  @Override
  public final void close() {
    closed = true;
  }

  @Override
  public final String toString() {
    return getClass().getSimpleName() + "[name=" + name + ", model=" + model + ", baseUrl="
        + Redactor.url(baseUrl.toString()) + ", stream=" + stream + ", apiKey=" + (apiKey == null ? "none" : "****")
        + "]";
  }

  /** Lower-case text or empty, for matching vendor error codes. */
  protected static String lower(@Nullable String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ what subclasses read

  /** The instance's settings, for vendor-specific properties. */
  protected final Settings settings() {
    return settings;
  }

  /** The vendor's base URL (the {@code baseUrl} property, or the vendor's default). */
  protected final URI baseUrl() {
    return baseUrl;
  }

  /** The API key, or null for a server that needs none. Never put it in a message: see {@link #redactor()}. */
  protected final @Nullable String apiKey() {
    return apiKey;
  }

  /** Removes the key (and other secrets) from text that may reach a message or a log. */
  protected final Redactor redactor() {
    return redactor;
  }

  /** Prices calls of this instance. */
  protected final Pricing pricing() {
    return pricing;
  }

  /** The longest one call may take (the {@code timeout} property; 5 minutes by default). */
  protected final Duration timeout() {
    return timeout;
  }

  /** The most output tokens asked for when a task sets none (the {@code maxOutputTokens} property; 4096). */
  protected final int maxOutputTokens() {
    return maxOutputTokens;
  }

  /** The sampling temperature (the {@code temperature} property), or null for the vendor's default. */
  protected final @Nullable Double temperature() {
    return temperature;
  }

  /** Whether replies are streamed (the {@code stream} property; false by default). */
  protected final boolean stream() {
    return stream;
  }

  /** The engine's clock. */
  protected final Clock clock() {
    return clock;
  }
}
