package dev.orchestrator.testkit;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.Scheduler;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.Health;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A provider that answers from a script: texts, failures of any {@link ErrorKind}, questions for a human, or calls
 * that never end until cancelled. With a scheduler and a latency, replies arrive when the test advances virtual time.
 * Records every call. Thread-safe.
 *
 * <pre>{@code
 * FakeProvider fake = FakeProvider.builder("chatgpt")
 *     .scheduler(scheduler).latency(Duration.ofSeconds(30))
 *     .script(Reply.failure(ErrorKind.TIMEOUT), Reply.text("second time lucky"))
 *     .build();
 * }</pre>
 */
public final class FakeProvider implements AiProvider {
  private final String name;
  private final String type;
  private final @Nullable Scheduler scheduler;
  private final Duration latency;
  private final Money costPerCall;
  private final Function<ProviderRequest, Reply> otherwise;
  private final CostEstimate estimate;
  private final @Nullable Random random;
  private final double failureRate;
  private final ErrorKind randomKind;
  private final @Nullable Supplier<Health> health;
  private final AtomicInteger probes = new AtomicInteger();

  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final ArrayDeque<Reply> script;
  /** Guarded by {@link #lock}. */
  private final List<Call> calls = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger cancelled = new AtomicInteger();
  private volatile boolean closed;

  private FakeProvider(Builder b) {
    this.name = b.name;
    this.type = b.type;
    this.scheduler = b.scheduler;
    this.latency = b.latency;
    this.costPerCall = b.costPerCall;
    this.otherwise = b.otherwise;
    this.estimate = b.estimate;
    this.script = new ArrayDeque<>(b.script);
    this.random = b.failureRate > 0 ? new Random(b.seed) : null;
    this.failureRate = b.failureRate;
    this.randomKind = b.randomKind;
    this.health = b.health;
  }

  /** Starts a fake provider instance with the given name. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A provider that answers every call at once with {@code "<name>: <prompt>"}. */
  public static FakeProvider echo(String name) {
    return builder(name).build();
  }

  @Override
  public String name() {
    return name;
  }

  /** What {@link Builder#health} answers, counted; without it, no probe (unknown), as a plugin without one. */
  @Override
  public CompletableFuture<Health> probe() {
    if (health == null) {
      return AiProvider.super.probe();
    }
    probes.incrementAndGet();
    return CompletableFuture.completedFuture(health.get());
  }

  /** How many health probes were answered. */
  public int probeCount() {
    return probes.get();
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    if (closed) {
      return CompletableFuture.failedFuture(ProviderException.closed(name));
    }
    Reply reply;
    CompletableFuture<ProviderResponse> future = new CompletableFuture<>();
    synchronized (lock) {
      reply = script.poll();
      if (reply == null && random != null && random.nextDouble() < failureRate) {
        reply = Reply.failure(randomKind);
      }
      calls.add(new Call(request, context, future));
    }
    if (reply == null) {
      reply = otherwise.apply(request);
    }
    inFlight.incrementAndGet();
    future.whenComplete((r, e) -> {
      inFlight.decrementAndGet();
      if (future.isCancelled()) {
        cancelled.incrementAndGet();
      }
    });
    if (reply instanceof Reply.Hang) {
      return future;
    }
    Reply chosen = reply;
    Runnable finish = () -> settle(future, chosen, request);
    if (scheduler != null && !latency.isZero()) {
      Scheduler.Cancellable timer = scheduler.schedule(finish, latency);
      future.whenComplete((r, e) -> {
        if (future.isCancelled()) {
          timer.cancel();
        }
      });
    } else {
      finish.run();
    }
    return future;
  }

  private void settle(CompletableFuture<ProviderResponse> future, Reply reply, ProviderRequest request) {
    if (reply instanceof Reply.Text t) {
      TokenUsage usage = t.usage != null ? t.usage : TokenUsage.of(tokens(request.prompt()), tokens(t.text));
      future.complete(ProviderResponse.builder().text(t.text).usage(usage).model(name + "-model")
          .cost(costPerCall).build());
    } else if (reply instanceof Reply.Failure f) {
      future.completeExceptionally(new ProviderException(name, f.kind, "injected " + f.kind.name().toLowerCase(
          Locale.ROOT) + " failure", f.kind.retryable(), f.retryAfter, null));
    } else if (reply instanceof Reply.Ask a) {
      future.complete(ProviderResponse.builder().question(a.question)
          .usage(TokenUsage.of(tokens(request.prompt()), tokens(a.question))).cost(costPerCall).build());
    }
  }

  private static long tokens(String text) {
    return Math.max(1, text.length() / 4);
  }

  @Override
  public CostEstimate estimate(ProviderRequest request) {
    return estimate;
  }

  @Override
  public void close() {
    closed = true;
  }

  /** Queues more replies after those already scripted. */
  public void enqueue(Reply... replies) {
    synchronized (lock) {
      script.addAll(List.of(replies));
    }
  }

  /** Makes the next {@code count} calls fail with {@code kind}, before the rest of the script. */
  public void failNext(int count, ErrorKind kind) {
    synchronized (lock) {
      for (int i = 0; i < count; i++) {
        script.addFirst(Reply.failure(kind));
      }
    }
  }

  /** Every call received, oldest first. */
  public List<Call> calls() {
    synchronized (lock) {
      return List.copyOf(calls);
    }
  }

  /** Every request received, oldest first. */
  public List<ProviderRequest> requests() {
    List<ProviderRequest> out = new ArrayList<>();
    for (Call c : calls()) {
      out.add(c.request);
    }
    return out;
  }

  /** How many calls were made. */
  public int callCount() {
    synchronized (lock) {
      return calls.size();
    }
  }

  /** How many calls have not ended. */
  public int inFlight() {
    return inFlight.get();
  }

  /** How many calls the engine cancelled. */
  public int cancelledCount() {
    return cancelled.get();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "FakeProvider[" + name + "]";
  }

  /** One recorded call. */
  public record Call(ProviderRequest request, CallContext context, CompletableFuture<ProviderResponse> future) {}

  /** What the fake answers to one call. */
  public sealed interface Reply {
    /** Answers with text; usage is estimated from the lengths. */
    static Reply text(String text) {
      return new Text(text, null);
    }

    /** Answers with text and the given usage. */
    static Reply text(String text, TokenUsage usage) {
      return new Text(text, usage);
    }

    /** Fails with a {@link ProviderException} of this kind. */
    static Reply failure(ErrorKind kind) {
      return new Failure(kind, null);
    }

    /** Fails as rate limited, asking to wait. */
    static Reply rateLimited(Duration retryAfter) {
      return new Failure(ErrorKind.RATE_LIMITED, retryAfter);
    }

    /** Asks a human a question. */
    static Reply ask(String question) {
      return new Ask(question);
    }

    /** Never answers; ends only when cancelled. */
    static Reply hang() {
      return new Hang();
    }

    /** A text reply. */
    record Text(String text, @Nullable TokenUsage usage) implements Reply {}

    /** A failure. */
    record Failure(ErrorKind kind, @Nullable Duration retryAfter) implements Reply {}

    /** A question. */
    record Ask(String question) implements Reply {}

    /** No answer. */
    record Hang() implements Reply {}
  }

  /** Builds a {@link FakeProvider}. Mutable, not thread-safe. */
  public static final class Builder {
    private final String name;
    private String type = "fake";
    private @Nullable Scheduler scheduler;
    private Duration latency = Duration.ZERO;
    private Money costPerCall = Money.ZERO;
    private final List<Reply> script = new ArrayList<>();
    private Function<ProviderRequest, Reply> otherwise;
    private CostEstimate estimate = CostEstimate.free();
    private double failureRate;
    private ErrorKind randomKind = ErrorKind.SERVER;
    private long seed;
    private @Nullable Supplier<Health> health;

    Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("provider name must not be blank");
      }
      this.name = name.toLowerCase(Locale.ROOT);
      String n = this.name;
      this.otherwise = req -> Reply.text(n + ": " + req.prompt());
    }

    /** The plugin type reported; {@code fake} by default. */
    public Builder type(String type) {
      this.type = type;
      return this;
    }

    /** Delivers replies through this scheduler after {@link #latency}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /** How long each call takes in virtual time; needs a scheduler. */
    public Builder latency(Duration latency) {
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative (was " + latency + ")");
      }
      this.latency = latency;
      return this;
    }

    /** What each successful call costs. */
    public Builder costPerCall(Money cost) {
      this.costPerCall = cost;
      return this;
    }

    /** Replies for the first calls, in order. */
    public Builder script(Reply... replies) {
      script.addAll(List.of(replies));
      return this;
    }

    /** The reply once the script is used up; an echo by default. */
    public Builder otherwise(Function<ProviderRequest, Reply> otherwise) {
      this.otherwise = otherwise;
      return this;
    }

    /** What {@link FakeProvider#estimate} returns; free by default. */
    public Builder estimate(CostEstimate estimate) {
      this.estimate = estimate;
      return this;
    }

    /** Answers health probes ({@link AiProvider#probe()}) with what {@code health} gives at each probe. */
    public Builder health(Supplier<Health> health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /** Fails a share of unscripted calls at random (reproducibly, from the seed) with {@code kind}. */
    public Builder randomFailures(double rate, ErrorKind kind, long seed) {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("failure rate must be within 0..1 (was " + rate + ")");
      }
      this.failureRate = rate;
      this.randomKind = kind;
      this.seed = seed;
      return this;
    }

    public FakeProvider build() {
      if (!latency.isZero() && scheduler == null) {
        throw new IllegalStateException("a latency needs a scheduler: call scheduler(...) too");
      }
      return new FakeProvider(this);
    }
  }
}
