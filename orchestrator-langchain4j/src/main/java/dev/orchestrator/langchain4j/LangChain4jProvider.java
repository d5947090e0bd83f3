package dev.orchestrator.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.langchain4j.internal.CallThread;
import dev.orchestrator.langchain4j.internal.Chats;
import dev.orchestrator.langchain4j.internal.Failures;
import dev.orchestrator.providers.http.Estimates;
import dev.orchestrator.providers.http.ModelPrice;
import dev.orchestrator.providers.http.PriceTable;
import dev.orchestrator.providers.http.Pricing;
import dev.orchestrator.providers.http.Redactor;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderException.Billing;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any LangChain4j {@link ChatModel} as a provider instance, so every model LangChain4j supports can run tasks. Calls
 * are priced from the same price table as the bundled providers, and failures are classified as theirs are, so
 * retries, failover, circuit breakers and budgets treat a bridged model like a native one.
 *
 * <pre>{@code
 * ChatModel gpt = OpenAiChatModel.builder()
 *     .apiKey(System.getenv("OPENAI_API_KEY")).modelName("gpt-4o-mini")
 *     .maxRetries(0) // the engine retries, with failover and circuit breakers
 *     .build();
 * LangChain4jProvider provider = LangChain4jProvider.builder()
 *     .name("gpt-mini").chatModel(gpt).secrets(System.getenv("OPENAI_API_KEY"))
 *     .build();
 * Orchestrator engine = Orchestrator.builder().provider(provider).build();
 * }</pre>
 *
 * <p><b>The request.</b> The task's system prompt (with the JSON instruction of an expected JSON schema appended, as
 * for providers without a native JSON mode) becomes a {@code SystemMessage}, the prompt a {@code UserMessage}. Every
 * call asks for at most {@link Builder#maxOutputTokens} output tokens (the task's own value, never above the
 * configured cap), so the worst case a budget reserves is a true bound; the {@link Builder#temperature} is sent when
 * set. Everything else is the ChatModel's own default.
 *
 * <p><b>Tokens and cost.</b> The usage is the reply's {@code ChatResponse.tokenUsage()}, normalised by vendor (the
 * cached prompt tokens OpenAI and Anthropic report are billed at their own rate). The cost is exact, from the price
 * of the model that answered ({@code ChatResponse.modelName()}) or else the configured {@link Builder#model}: the
 * instance's own {@link Builder#price}, else the {@link Builder#priceTable} (the bundled one by default). A model
 * without a price is <em>unpriced</em>: its calls cost zero as {@link CostBasis#UNPRICED} and budgeted tasks are not
 * started on it, as for every provider. A reply without usage may have cost anything up to the call's worst case: it
 * is recorded at that worst case (the whole prompt bound and every output token allowed) as
 * {@link CostBasis#ESTIMATED}.
 *
 * <p><b>Failures</b> are classified from LangChain4j's exceptions and the HTTP status they carry: a rate limit is
 * {@link ErrorKind#RATE_LIMITED}, a refused key {@link ErrorKind#AUTH}, a timeout {@link ErrorKind#TIMEOUT}, an
 * unknown model or bad request {@link ErrorKind#INVALID_REQUEST}, a server error {@link ErrorKind#SERVER} (503 and
 * 529 {@link ErrorKind#OVERLOADED}), a refused connection {@link ErrorKind#NETWORK}. Build the ChatModel with
 * {@code maxRetries(0)} so that the engine, not the model, decides when to retry and when to fail over. Messages
 * never contain the {@link Builder#secrets} nor anything shaped like a vendor key, nor an error body.
 *
 * <p><b>Threads.</b> {@code ChatModel.chat} blocks, so each call runs on the instance's executor, never on the
 * engine's thread: its own cached pool of daemon threads (shut down by {@link #close()}), or the one given to
 * {@link Builder#executor}. Cancelling a call interrupts its thread, which LangChain4j's default JDK HTTP client
 * answers by giving the exchange up, so the thread is free for the next call. Thread-safe.
 *
 * <p>No health probe: every request to a ChatModel may be billed. {@link #probe()} answers
 * {@link dev.orchestrator.spi.provider.Health.Status#UNKNOWN}.
 *
 * @since 0.1
 */
public final class LangChain4jProvider implements AiProvider {
  /** The type every bridged instance reports. */
  public static final String TYPE = "langchain4j";

  private static final Logger log = LoggerFactory.getLogger(LangChain4jProvider.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.\\-]{0,63}");
  private static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;
  private static final double OUTPUT_TOKENS_PER_SECOND = 60;
  private static final Duration FIRST_TOKEN_LATENCY = Duration.ofMillis(800);

  private final String name;
  private final ChatModel chatModel;
  private final String model;
  private final Pricing pricing;
  private final @Nullable Integer maxOutputTokensCap;
  private final int defaultMaxOutputTokens;
  private final @Nullable Double temperature;
  private final Redactor redactor;
  private final Executor executor;
  private final @Nullable ExecutorService ownExecutor;
  private volatile boolean closed;

  private LangChain4jProvider(Builder b, ChatModel chatModel, String model) {
    this.name = Objects.requireNonNull(b.name);
    this.chatModel = chatModel;
    this.model = model;
    this.pricing = new Pricing(name, model, b.priceTable, b.price, b.maxCostPerCall);
    Integer modelDefault = defaults(chatModel).map(ChatRequestParameters::maxOutputTokens).orElse(null);
    this.maxOutputTokensCap = b.maxOutputTokens;
    this.defaultMaxOutputTokens = b.maxOutputTokens != null ? b.maxOutputTokens
        : modelDefault != null && modelDefault > 0 ? modelDefault : DEFAULT_MAX_OUTPUT_TOKENS;
    this.temperature = b.temperature;
    this.redactor = Redactor.of(b.secrets.toArray(new String[0]));
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownExecutor = null;
    } else {
      AtomicInteger n = new AtomicInteger();
      ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "orchestrator-langchain4j-" + name + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      this.executor = pool;
      this.ownExecutor = pool;
    }
  }

  /** Starts a provider: the name and the ChatModel are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** Always {@value #TYPE}. */
  @Override
  public String type() {
    return TYPE;
  }

  /** The model id the calls are priced by when a reply names none. */
  public String model() {
    return model;
  }

  @Override
  public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    if (closed) {
      return CompletableFuture.failedFuture(ProviderException.closed(name));
    }
    int maxOut = maxTokens(request);
    ChatRequest chat;
    try {
      chat = Chats.request(request, maxOut, temperature);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new ProviderException(name, ErrorKind.INVALID_REQUEST,
          "the ChatModel refused the request before sending it (" + redactor.redact(e.getMessage()) + ")", false,
          null, e));
    }
    CompletableFuture<ProviderResponse> out = new CompletableFuture<>();
    CallThread worker = new CallThread();
    out.whenComplete((r, e) -> {
      if (out.isCancelled()) {
        worker.interrupt();
      }
    });
    context.onCancel(worker::interrupt);
    log.debug("Provider call started (provider={}, type={}, model={}, project={}, run={}, task={}, attempt={})",
        name, TYPE, model, context.project(), context.runId(), context.taskId(), context.attempt());
    try {
      executor.execute(() -> {
        boolean ran = worker.run(() -> {
          if (out.isDone()) {
            return;
          }
          try {
            out.complete(Chats.reply(name, TYPE, model, pricing, chatModel.chat(chat), request, maxOut));
          } catch (ProviderException e) {
            out.completeExceptionally(e);
          } catch (RuntimeException | Error e) {
            out.completeExceptionally(Failures.classify(name, e, redactor));
          }
        });
        if (!ran) {
          out.completeExceptionally(Failures.classify(name, new CancellationException(), redactor));
        }
      });
    } catch (RejectedExecutionException e) {
      out.completeExceptionally(new ProviderException(name, ErrorKind.UNKNOWN,
          "the executor refused the call: it is shut down or full", false, null, e, Billing.NOT_BILLED,
          TokenUsage.NONE, Money.ZERO));
    }
    out.whenComplete((r, e) -> {
      if (r != null) {
        log.debug("Provider call succeeded (provider={}, model={}, task={}, inputTokens={}, outputTokens={},"
            + " cost={}, costBasis={})", name, r.model(), context.taskId(), r.usage().inputTokens(),
            r.usage().outputTokens(), r.cost(), r.costBasis());
      } else if (e instanceof ProviderException pe) {
        log.debug("Provider call failed (provider={}, task={}, kind={}, retryable={})", name, context.taskId(),
            pe.kind(), pe.retryable());
      }
    });
    return out;
  }

  /** The output tokens a call asks for: the task's value capped by {@link Builder#maxOutputTokens}, else default. */
  private int maxTokens(ProviderRequest request) {
    return Estimates.maxOutput(request.maxOutputTokens(), maxOutputTokensCap, defaultMaxOutputTokens);
  }

  /** Bounded by the model's price and the output tokens asked for, as for the bundled providers. */
  @Override
  public CostEstimate estimate(ProviderRequest request) {
    return Estimates.estimate(pricing, TYPE, model, request, maxTokens(request), OUTPUT_TOKENS_PER_SECOND,
        FIRST_TOKEN_LATENCY);
  }

  /** Stops taking calls; shuts the instance's own threads down (interrupting calls in flight). Idempotent. */
  @Override
  public void close() {
    closed = true;
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "LangChain4jProvider[name=" + name + ", model=" + model + ", chatModel="
        + chatModel.getClass().getSimpleName() + "]";
  }

  private static Optional<ChatRequestParameters> defaults(ChatModel chatModel) {
    try {
      return Optional.ofNullable(chatModel.defaultRequestParameters());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Builds a {@link LangChain4jProvider}. Each setter checks its value at once (a null where a value is required
   * throws {@link NullPointerException} naming the setting, a bad value {@link IllegalArgumentException} naming the
   * setting and the value); {@link #build()} checks the whole. Mutable and not thread-safe; reusing a builder never
   * changes a provider already built.
   */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable ChatModel chatModel;
    private @Nullable String model;
    private PriceTable priceTable = PriceTable.bundled();
    private @Nullable ModelPrice price;
    private @Nullable Money maxCostPerCall;
    private @Nullable Integer maxOutputTokens;
    private @Nullable Double temperature;
    private @Nullable Executor executor;
    private final List<String> secrets = new ArrayList<>();

    private Builder() {}

    /**
     * The instance name tasks use; required. Lower-case letters, digits, {@code _}, {@code -} and {@code .}.
     *
     * @throws IllegalArgumentException when the name is not of that shape
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("name must be 1 to 64 lower-case letters, digits, '_', '-' or '.',"
            + " starting with a letter or digit (was '" + name + "'): give the instance name tasks use, such as '"
            + name.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.\\-]", "-") + "'");
      }
      this.name = name;
      return this;
    }

    /** The LangChain4j model that answers the calls; required. */
    public Builder chatModel(ChatModel chatModel) {
      this.chatModel = Objects.requireNonNull(chatModel, "chatModel");
      return this;
    }

    /**
     * The vendor's model id the calls are priced by when a reply names no model, such as {@code gpt-4o-mini}; by
     * default the model name in the ChatModel's default request parameters. Required when the ChatModel names none.
     *
     * @throws IllegalArgumentException when the id is blank
     */
    public Builder model(String model) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank: give the vendor's model id, such as"
            + " 'gpt-4o-mini'");
      }
      this.model = model.trim();
      return this;
    }

    /** The table prices are read from; the bundled table by default ({@link PriceTable#bundled()}). */
    public Builder priceTable(PriceTable priceTable) {
      this.priceTable = Objects.requireNonNull(priceTable, "priceTable");
      return this;
    }

    /**
     * This instance's own price, used for every model it answers with instead of the table's; none by default.
     * Null clears it.
     */
    public Builder price(@Nullable ModelPrice price) {
      this.price = price;
      return this;
    }

    /**
     * The most one call is taken to cost when the model has no price, so budgets can reserve it; none by default.
     * Null clears it.
     *
     * @throws IllegalArgumentException when the amount is not positive
     */
    public Builder maxCostPerCall(@Nullable Money maxCostPerCall) {
      if (maxCostPerCall != null && (maxCostPerCall.isNegative() || maxCostPerCall.isZero())) {
        throw new IllegalArgumentException("maxCostPerCall must be positive (was " + maxCostPerCall
            + "): give the most one call can cost, such as Money.usd(\"0.50\")");
      }
      this.maxCostPerCall = maxCostPerCall;
      return this;
    }

    /**
     * The most output tokens any call asks for: a task asking for more gets this many. By default a task's own
     * value, else the ChatModel's default {@code maxOutputTokens}, else 4096. Null clears it.
     *
     * @throws IllegalArgumentException when {@code maxOutputTokens < 1}
     */
    public Builder maxOutputTokens(@Nullable Integer maxOutputTokens) {
      if (maxOutputTokens != null && maxOutputTokens < 1) {
        throw new IllegalArgumentException("maxOutputTokens must be >= 1 (was " + maxOutputTokens
            + "): give the most output tokens a call may ask for");
      }
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    /**
     * The sampling temperature sent with every call, 0 to 2; the ChatModel's own by default. Null clears it.
     *
     * @throws IllegalArgumentException when the value is outside 0 to 2
     */
    public Builder temperature(@Nullable Double temperature) {
      if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
        throw new IllegalArgumentException("temperature must be between 0 and 2 (was " + temperature + ")");
      }
      this.temperature = temperature;
      return this;
    }

    /**
     * Where the blocking {@code ChatModel.chat} calls run; by default a cached pool of daemon threads the instance
     * owns and shuts down on {@link LangChain4jProvider#close()}. A given executor is not shut down. Null restores
     * the default.
     */
    public Builder executor(@Nullable Executor executor) {
      this.executor = executor;
      return this;
    }

    /**
     * Secrets to remove from every message, such as the API key the ChatModel was built with (values shorter than
     * four characters and nulls are ignored). Anything shaped like a vendor key is removed in any case. Adds to
     * the secrets given before.
     */
    public Builder secrets(@Nullable String... secrets) {
      for (String s : secrets) {
        if (s != null && s.length() >= 4) {
          this.secrets.add(s);
        }
      }
      return this;
    }

    /**
     * The provider.
     *
     * @throws IllegalStateException when the name or the ChatModel is missing, or no model id is given and the
     *     ChatModel names none
     */
    public LangChain4jProvider build() {
      if (name == null) {
        throw new IllegalStateException("name is required: call name(\"...\") with the instance name tasks use");
      }
      if (chatModel == null) {
        throw new IllegalStateException("chatModel is required: call chatModel(...) with the LangChain4j model"
            + " that answers provider '" + name + "'");
      }
      String m = model;
      if (m == null) {
        m = defaults(chatModel).map(ChatRequestParameters::modelName).filter(s -> !s.isBlank()).orElse(null);
      }
      if (m == null) {
        throw new IllegalStateException("model is required for provider '" + name + "': the "
            + chatModel.getClass().getSimpleName() + " names no model in its default request parameters; call"
            + " model(\"...\") with the vendor's model id its calls are priced by, such as 'gpt-4o-mini'");
      }
      return new LangChain4jProvider(this, chatModel, m);
    }
  }
}
