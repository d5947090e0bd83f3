package dev.orchestrator.micrometer;

import static dev.orchestrator.micrometer.OrchestratorMeters.BREAKER_STATE;
import static dev.orchestrator.micrometer.OrchestratorMeters.BUDGET_UTILISATION;
import static dev.orchestrator.micrometer.OrchestratorMeters.LANE;
import static dev.orchestrator.micrometer.OrchestratorMeters.NAME;
import static dev.orchestrator.micrometer.OrchestratorMeters.PROVIDER;
import static dev.orchestrator.micrometer.OrchestratorMeters.QUEUE_DEPTH;
import static dev.orchestrator.micrometer.OrchestratorMeters.SCOPE;
import static dev.orchestrator.micrometer.OrchestratorMeters.STATE;
import static dev.orchestrator.micrometer.OrchestratorMeters.TASKS;

import dev.orchestrator.Priority;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.micrometer.internal.EventMeters;
import dev.orchestrator.micrometer.internal.StoreSnapshot;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.run.TaskState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of an {@link Orchestrator}, bound to one or more registries as any {@link MeterBinder} is.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * try (Orchestrator orchestrator = Orchestrator.builder().provider(claude).build();
 *      OrchestratorMetrics metrics = OrchestratorMetrics.bindTo(orchestrator, registry)) {
 *   orchestrator.submit("demo", workflow);
 *   ... registry.scrape() ...
 * }
 * }</pre>
 *
 * <p>Two kinds of meter (their names and tags are in {@link OrchestratorMeters}):
 * <ul>
 *   <li>Counters and a timer fed by events: {@code orchestrator.attempts}, {@code orchestrator.provider.latency},
 *       {@code orchestrator.tokens}, {@code orchestrator.cost}. By default they count the events of this process
 *       ({@link Orchestrator#subscribe}); {@link Builder#events(EventSource) events(STORE)} counts those of every
 *       process that shares the store instead ({@link Orchestrator#follow}), which is what one metrics endpoint for a
 *       cluster of workers wants. Counting starts when the binder is first bound: earlier events are not counted.
 *   <li>Gauges read from the store when the registry reads them: {@code orchestrator.tasks},
 *       {@code orchestrator.queue.depth}, {@code orchestrator.breaker.state}, {@code orchestrator.budget.utilisation}.
 *       They show every process's work. One read of the store serves every gauge for
 *       {@link Builder#snapshotTtl(Duration) snapshotTtl} (5 seconds by default, on the orchestrator's clock).
 * </ul>
 *
 * <p>{@code orchestrator.cost} is a double view of {@link dev.orchestrator.Money} amounts, and counts the call that
 * completed each task; the exact figure, including failed calls, is the store's: {@link Orchestrator#costReport()}.
 *
 * <p>Thread-safe. {@link #close()} stops counting and removes the meters of this binder from its registries; it is
 * idempotent and leaves the orchestrator and the registries open.
 *
 * @since 0.1
 */
public final class OrchestratorMetrics implements MeterBinder, AutoCloseable {
  /** Where the counters' events come from. */
  public enum EventSource {
    /** The events of this process's engine, as they happen ({@link Orchestrator#subscribe}). The default. */
    THIS_PROCESS,
    /**
     * The store's event stream, appended by every process that shares it ({@link Orchestrator#follow}); polled every
     * 200 ms on a thread of its own. Bind it in one process per cluster, or every process will count everything.
     */
    STORE
  }

  /** The default time for which one read of the store serves the gauges. */
  public static final Duration DEFAULT_SNAPSHOT_TTL = Duration.ofSeconds(5);

  private final Orchestrator orchestrator;
  private final EventSource source;
  private final Tags tags;
  private final StoreSnapshot snapshot;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final Map<MeterRegistry, Set<Meter>> meters = new ConcurrentHashMap<>();
  /** Budget scopes that have a gauge in every bound registry. */
  private final Set<BudgetScope> budgetGauges = ConcurrentHashMap.newKeySet();
  private final EventMeters eventMeters;
  private final Object lock = new Object();
  /** Guarded by lock: the event subscription, once the first registry is bound. */
  private AutoCloseable subscription;
  /** Guarded by lock. */
  private boolean closed;

  private OrchestratorMetrics(Builder b) {
    this.orchestrator = b.orchestrator;
    this.source = b.source;
    this.tags = b.tags;
    this.snapshot = new StoreSnapshot(orchestrator, b.snapshotTtl, this::budgetsSeen);
    this.eventMeters = new EventMeters(registries, tags, this::remember);
  }

  /**
   * Binds the meters of {@code orchestrator} to {@code registry} with the defaults (this process's events, a 5-second
   * snapshot, no extra tags); close what it returns to stop.
   */
  public static OrchestratorMetrics bindTo(Orchestrator orchestrator, MeterRegistry registry) {
    OrchestratorMetrics metrics = builder(orchestrator).build();
    metrics.bindTo(registry);
    return metrics;
  }

  /** Starts configuring the meters of {@code orchestrator}. */
  public static Builder builder(Orchestrator orchestrator) {
    return new Builder(Objects.requireNonNull(orchestrator, "orchestrator"));
  }

  /**
   * Registers the gauges in {@code registry}, and counts events into it from now on. The first registry bound starts
   * the event subscription.
   *
   * @throws IllegalStateException when closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("these metrics are closed: build new ones with OrchestratorMetrics.builder");
      }
      if (registries.contains(registry)) {
        return;
      }
      registries.add(registry);
      bindGauges(registry);
      if (subscription == null) {
        subscription = source == EventSource.STORE
            ? orchestrator.follow(orchestrator.store().lastEventSequence(), eventMeters)
            : orchestrator.subscribe(eventMeters);
      }
    }
  }

  private void bindGauges(MeterRegistry registry) {
    for (TaskState s : TaskState.values()) {
      gauge(registry, TASKS, "Tasks of unfinished runs in each state", Tags.of(STATE, lower(s)),
          m -> m.snapshot.get().tasks().getOrDefault(s, 0L));
    }
    for (Priority p : Priority.values()) {
      gauge(registry, QUEUE_DEPTH, "Ready tasks of unfinished runs waiting for a slot, per lane", Tags.of(LANE, lower(p)),
          m -> m.snapshot.get().ready().getOrDefault(p, 0L));
    }
    for (String provider : orchestrator.providers()) {
      for (CircuitState.State s : CircuitState.State.values()) {
        gauge(registry, BREAKER_STATE, "1 for the circuit breaker's current state, 0 for the others",
            Tags.of(PROVIDER, provider, STATE, lower(s)), m -> {
              CircuitState.State now = m.snapshot.get().circuits().get(provider);
              return now == null ? Double.NaN : now == s ? 1 : 0;
            });
      }
    }
    for (BudgetScope scope : budgetGauges) {
      budgetGauge(registry, scope);
    }
    budgetsSeen(snapshot.get()); // the budgets set by now, without waiting for a scrape
  }

  /** Called with each store read: a budget set since the last read gets its gauge in every registry. */
  private void budgetsSeen(StoreSnapshot.Data data) {
    for (BudgetScope scope : data.utilisation().keySet()) {
      if (budgetGauges.add(scope)) {
        for (MeterRegistry registry : registries) {
          budgetGauge(registry, scope);
        }
      }
    }
  }

  private void budgetGauge(MeterRegistry registry, BudgetScope scope) {
    String name = scope.kind() == BudgetScope.Kind.GLOBAL ? "all" : scope.name();
    gauge(registry, BUDGET_UTILISATION, "Spent divided by the budget's limit; 1 is used up",
        Tags.of(SCOPE, lower(scope.kind()), NAME, name),
        m -> m.snapshot.get().utilisation().getOrDefault(scope, Double.NaN));
  }

  private void gauge(MeterRegistry registry, String name, String description, Tags extra,
      ToDoubleFunction<OrchestratorMetrics> f) {
    Gauge g = Gauge.builder(name, this, f).description(description).tags(tags).tags(extra).strongReference(true)
        .register(registry);
    remember(registry, g);
  }

  private void remember(MeterRegistry registry, Meter meter) {
    meters.computeIfAbsent(registry, r -> ConcurrentHashMap.newKeySet()).add(meter);
  }

  /** Stops counting and removes this binder's meters from every registry. Idempotent. */
  @Override
  public void close() {
    AutoCloseable s;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      s = subscription;
      subscription = null;
    }
    try {
      if (s != null) {
        s.close(); // first, so that no event arrives to register a meter after they are removed
      }
    } catch (Exception e) {
      throw new IllegalStateException("the event subscription did not close: " + e, e);
    } finally {
      registries.clear();
      meters.forEach((registry, set) -> set.forEach(registry::remove));
      meters.clear();
    }
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** Configures {@link OrchestratorMetrics}. Mutable and not thread-safe. */
  public static final class Builder {
    private final Orchestrator orchestrator;
    private EventSource source = EventSource.THIS_PROCESS;
    private Duration snapshotTtl = DEFAULT_SNAPSHOT_TTL;
    private Tags tags = Tags.empty();

    private Builder(Orchestrator orchestrator) {
      this.orchestrator = orchestrator;
    }

    /** Where the counters' events come from; {@link EventSource#THIS_PROCESS} by default. */
    public Builder events(EventSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * How long one read of the store serves the gauges (5 seconds by default); zero reads it at every gauge read.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder snapshotTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("snapshotTtl must not be negative (was " + ttl
            + "): give Duration.ZERO to read the store at every gauge read");
      }
      this.snapshotTtl = ttl;
      return this;
    }

    /** Tags added to every meter (an application or cluster name, say); keep their values few. */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = this.tags.and(Objects.requireNonNull(tags, "tags"));
      return this;
    }

    /** Builds the binder; nothing is registered or subscribed until {@link OrchestratorMetrics#bindTo}. */
    public OrchestratorMetrics build() {
      return new OrchestratorMetrics(this);
    }
  }
}
