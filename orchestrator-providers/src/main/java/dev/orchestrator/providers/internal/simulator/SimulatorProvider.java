package dev.orchestrator.providers.internal.simulator;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Scheduler;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.Estimates;
import dev.orchestrator.providers.http.Pricing;
import dev.orchestrator.providers.http.Prompts;
import dev.orchestrator.providers.http.Settings;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.Health;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.provider.ToolCall;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An offline provider that answers without calling anything, deterministically: the same seed, prompts and call order
 * give the same texts, token counts, latencies and failures. Replies arrive after a realistic latency in the engine's
 * (virtual, in tests) time; usage is priced like a real model's. Every reply says plainly that it is simulated.
 * Failures are injected at a rate, of a kind, in bursts. Thread-safe.
 */
public final class SimulatorProvider implements AiProvider {
  public static final String TYPE = "simulator";
  public static final String DEFAULT_MODEL = "sim-standard";
  private static final Logger log = LoggerFactory.getLogger(SimulatorProvider.class);
  private static final String[] WORDS = {"the", "plan", "covers", "each", "step", "in", "order", "and", "notes",
      "risks", "with", "a", "short", "summary", "of", "results", "for", "review", "next", "actions"};

  private final String name;
  private final String model;
  private final long seed;
  private final Duration latency;
  private final double tokensPerSecond;
  private final double failureRate;
  private final ErrorKind failureKind;
  private final int failureBurst;
  private final Duration retryAfter;
  private final int maxOutputTokens;
  /** The configured {@code maxOutputTokens}, which caps a task's larger value; null when not configured. */
  private final @Nullable Integer maxOutputCap;
  private final Pricing pricing;
  private final Scheduler scheduler;

  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private long calls;
  /** Guarded by {@link #lock}. */
  private int burstLeft;
  private volatile boolean closed;

  private SimulatorProvider(Settings s) {
    this.name = s.name();
    this.model = s.string("model", DEFAULT_MODEL);
    this.seed = s.longValue("seed", 42, Long.MIN_VALUE);
    this.latency = s.durationOrZero("latency", Duration.ofSeconds(1));
    this.tokensPerSecond = s.integer("tokensPerSecond", 60, 1, 1_000_000);
    this.failureRate = s.fraction("failureRate", 0);
    String kind = s.string("failureKind", "SERVER").toUpperCase(Locale.ROOT);
    try {
      this.failureKind = ErrorKind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw s.invalid("failureKind", kind, "one of " + java.util.Arrays.toString(ErrorKind.values()));
    }
    this.failureBurst = s.integer("failureBurst", 1, 1, 1_000_000);
    this.retryAfter = s.duration("retryAfter", Duration.ofSeconds(5));
    this.maxOutputTokens = s.integer("maxOutputTokens", 1024, 1, 1_000_000);
    this.maxOutputCap = s.optional("maxOutputTokens") == null ? null : maxOutputTokens;
    this.pricing = Pricing.from(s, model);
    this.scheduler = s.context().scheduler();
  }

  public static SimulatorProvider create(Settings s) {
    return new SimulatorProvider(s);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    if (closed) {
      return CompletableFuture.failedFuture(ProviderException.closed(name));
    }
    long call;
    boolean fail;
    synchronized (lock) {
      call = calls++;
      if (burstLeft > 0) {
        burstLeft--;
        fail = true;
      } else {
        fail = failureRate > 0 && new SplittableRandom(seed ^ (call * 0x9E3779B97F4A7C15L)).nextDouble() < failureRate;
        if (fail) {
          burstLeft = failureBurst - 1;
        }
      }
    }
    SplittableRandom random = new SplittableRandom(seed ^ hash(request.prompt()));
    ToolCall ask = ask(request, call);
    String text = ask != null ? "[SIMULATED] Let me ask another assistant first." : text(request, random);
    TokenUsage usage = TokenUsage.of(Estimates.inputTokens(request), Estimates.tokens(text));
    Duration delay = delay(usage.outputTokens(), random);
    CompletableFuture<ProviderResponse> out = new CompletableFuture<>();
    Runnable finish = () -> {
      if (fail) {
        Duration wait = failureKind == ErrorKind.RATE_LIMITED ? retryAfter : null;
        out.completeExceptionally(new ProviderException(name, failureKind, "simulated " + failureKind.name()
            .toLowerCase(Locale.ROOT) + " failure (call " + (call + 1) + ", failureRate=" + failureRate + ")",
            failureKind.retryable(), wait, null));
      } else {
        out.complete(ProviderResponse.builder().text(text).usage(usage).model(model)
            .responseId("sim-" + Long.toHexString(seed) + "-" + (call + 1)).cost(pricing.cost(model, usage))
            .costBasis(pricing.basis(model)).toolCalls(ask == null ? List.of() : List.of(ask)).build());
      }
    };
    Scheduler.Cancellable timer = scheduler.schedule(finish, delay);
    out.whenComplete((r, e) -> {
      if (out.isCancelled()) {
        timer.cancel();
      }
    });
    log.debug("Simulated call scheduled (provider={}, model={}, task={}, attempt={}, delayMs={}, fails={})", name,
        model, context.taskId(), context.attempt(), delay.toMillis(), fail);
    return out;
  }

  /**
   * Offered the {@code ask} tool (a task with collaborators), a simulated author asks once, before it answers, so
   * that an offline run shows a whole conversation: its question goes to whichever collaborator the engine picks
   * ({@code auto}); once it has asked, it answers.
   */
  private static @Nullable ToolCall ask(ProviderRequest request, long call) {
    if (request.tools().stream().noneMatch(t -> t.name().equals("ask"))
        || request.messages().stream().anyMatch(m -> !m.toolCalls().isEmpty())) {
      return null;
    }
    String task = request.prompt().strip().replaceAll("\\s+", " ");
    String question = "Does this fit what the task asks for, and what would you change? The task: "
        + (task.length() <= 160 ? task : task.substring(0, 157) + "...");
    return ToolCall.of("sim-ask-" + (call + 1), "ask", Map.of("provider", "auto", "question", question));
  }

  @Override
  public boolean supportsTools() {
    return true;
  }

  private String text(ProviderRequest request, SplittableRandom random) {
    String banner = "[SIMULATED reply from " + name + " (model " + model + "); no AI was called]";
    int limit = maxOutput(request);
    String schema = Prompts.schema(request);
    if (schema != null) {
      // A value of the schema, so a simulated run passes the checks a real reply passes (a review's verdict).
      String sample = SchemaSample.of(schema, banner);
      return sample != null && !sample.equals("{}") ? sample
          : atMost("{\"simulated\": true, \"provider\": \"" + name + "\", \"model\": \"" + model
              + "\", \"note\": \"simulated output: no AI was called\"}", limit);
    }
    long target = Math.max(1, Math.min(limit, 32 + random.nextInt(368)));
    String prompt = request.prompt().strip().replaceAll("\\s+", " ");
    StringBuilder sb = new StringBuilder(banner).append(" Reply to: \"")
        .append(prompt.length() <= 60 ? prompt : prompt.substring(0, 57) + "...").append("\".");
    while (Estimates.tokens(sb.toString()) < target) {
      sb.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
    }
    return atMost(sb.toString(), limit);
  }

  /** A reply is cut at the output limit, as a real model's is, so it never costs more than its reservation. */
  private static String atMost(String text, int maxTokens) {
    long chars = (long) maxTokens * 4;
    return text.length() <= chars ? text : text.substring(0, (int) chars);
  }

  private int maxOutput(ProviderRequest request) {
    return Estimates.maxOutput(request.maxOutputTokens(), maxOutputCap, maxOutputTokens);
  }

  private Duration delay(long outputTokens, SplittableRandom random) {
    double jitter = 0.8 + 0.4 * random.nextDouble();
    long ms = (long) ((latency.toMillis() + outputTokens * 1000 / tokensPerSecond) * jitter);
    return Duration.ofMillis(Math.max(0, ms));
  }

  private static long hash(String s) {
    long h = 1125899906842597L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h = 31 * h + b;
    }
    return h;
  }

  @Override
  public CompletableFuture<Health> probe() {
    return CompletableFuture.completedFuture(Health.up(Duration.ZERO, "simulated: always answers, offline"));
  }

  @Override
  public CostEstimate estimate(ProviderRequest request) {
    return Estimates.estimate(pricing, TYPE, model, request, maxOutput(request), tokensPerSecond, latency);
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "SimulatorProvider[name=" + name + ", model=" + model + ", seed=" + seed + ", failureRate=" + failureRate
        + ", failureKind=" + failureKind + "]";
  }
}
