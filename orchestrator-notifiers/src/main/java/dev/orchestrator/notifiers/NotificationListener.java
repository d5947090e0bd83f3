package dev.orchestrator.notifiers;

import dev.orchestrator.Scheduler;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.notifiers.internal.ChannelFactory;
import dev.orchestrator.notifiers.internal.Channels;
import dev.orchestrator.notifiers.internal.Failures;
import dev.orchestrator.notifiers.internal.InProcessPipeline;
import dev.orchestrator.notifiers.internal.OutboxDeliverer;
import dev.orchestrator.notifiers.internal.OutboxLoop;
import dev.orchestrator.notifiers.internal.OutboxPipeline;
import dev.orchestrator.notifiers.internal.OutboxRelay;
import dev.orchestrator.notifiers.internal.NotificationCodec;
import dev.orchestrator.notifiers.internal.OwnEvents;
import dev.orchestrator.notifiers.internal.Pipeline;
import dev.orchestrator.notifiers.internal.ChannelSpec;
import dev.orchestrator.notifiers.internal.Counters;
import dev.orchestrator.notifiers.internal.Dispatcher;
import dev.orchestrator.notifiers.internal.EventMapper;
import dev.orchestrator.notifiers.internal.ProjectSettings;
import dev.orchestrator.notifiers.internal.Redactor;
import dev.orchestrator.notifiers.internal.RetrySettings;
import dev.orchestrator.notifiers.internal.SerialExecutor;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.NotifierFactory;
import dev.orchestrator.spi.store.Outbox;
import dev.orchestrator.spi.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications about engine events, by each project's rules. Attach it to the engine, with the engine's
 * store so that no notification is lost when the process exits:
 *
 * <pre>{@code
 * Store store = JdbcStore.embedded(dir);
 * NotificationListener notifications = NotificationListener.builder()
 *     .config(NotificationConfig.read(Path.of("notifications.json")))
 *     .store(store)
 *     .onDeliveryFailed(failure -> metrics.count("notification.failed"))
 *     .build();
 * try (Orchestrator orchestrator = Orchestrator.builder().store(store).listener(notifications).build()) { ... }
 * notifications.close(); // waits up to exitWait (5 s) for this process's notifications
 * }</pre>
 *
 * <p><b>With a store, nothing is lost.</b> The engine stores every event; the listener relays the store's event
 * stream into the store's outbox (rules, digests and rate limits decide what to send, and the deliveries are written
 * in the same transaction that moves the relay's cursor, so each event is matched once whichever processes relay),
 * and any live process sends what is due, under a lease, retrying with back-off and jitter; a delivery given up on is
 * marked failed with its reason. While the process lives it does this every {@link Builder#pollInterval poll
 * interval} and soon after each of its events; {@link #close()} waits up to {@link Builder#exitWait exitWait} for
 * the deliveries of the process's own events, sending them itself, and leaves the rest to the next process that
 * runs a listener on the store. Delivery is at least once: each notification carries an
 * {@link dev.orchestrator.spi.notifier.Notification#idempotencyKey() idempotency key} for receivers. Without a
 * store, everything happens in this process and what is not sent when it ends is lost.
 *
 * <p><b>It never holds up the engine.</b> {@link #onEvent} only notes the event and returns; the work runs on the
 * listener's own thread (or the executor given), and sends are asynchronous. A channel that fails is logged and
 * reported to {@link Builder#onDeliveryFailed}; it never slows or breaks a run.
 *
 * <p><b>No storms.</b> The first occurrence of an event for a channel is sent at once; identical ones (same
 * project, channel and event) within the project's digest window are merged into one digest sent when the window
 * closes ("12 tasks failed in project X in the last 5 minutes"). Each channel also has a rate limit (10 messages a
 * minute unless configured); messages over it are held back and counted in the channel's next message. With a
 * store, open windows and rate limits are kept in the store with the relay's cursor: a digest whose window closes
 * after the process exited is sent by the next process that runs a listener.
 *
 * <p>Thread-safe. {@link #close()} (after waiting, with a store) closes the notifiers and stops the threads it owns;
 * without a store it drops pending digests.
 */
public final class NotificationListener implements EventSubscriber, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

  /** How long {@link #close()} waits for this process's notifications by default. */
  public static final Duration DEFAULT_EXIT_WAIT = Duration.ofSeconds(5);
  private static final int RELAY_BATCH = 200;
  private static final int MAX_IN_FLIGHT = 64;

  /** The relay's name in the store's outbox: {@code orchestrator notifications} lists its deliveries. */
  public static final String RELAY = OutboxRelay.NAME;

  private final Pipeline pipeline;
  private final Duration exitWait;
  private final Counters counters;
  private final List<AutoCloseable> owned;
  private volatile boolean closed;
  private volatile int left;

  private NotificationListener(Pipeline pipeline, Duration exitWait, Counters counters, List<AutoCloseable> owned) {
    this.pipeline = pipeline;
    this.exitWait = exitWait;
    this.counters = counters;
    this.owned = owned;
  }

  /** Starts configuring a listener. */
  public static Builder builder() {
    return new Builder();
  }

  /** Notes the event and returns at once. Never throws. */
  @Override
  public void onEvent(Event event) {
    if (closed || !EventMapper.interesting(event)) {
      return;
    }
    pipeline.accept(event);
  }

  /**
   * The notification an outbox delivery of this listener's relay ({@link #RELAY}) carries: for listings such as
   * {@code orchestrator notifications}.
   *
   * @throws IllegalArgumentException when the delivery is not one of this relay's
   */
  public static Notification notificationOf(Outbox.Delivery delivery) {
    if (!RELAY.equals(delivery.relay())) {
      throw new IllegalArgumentException("delivery " + delivery.key() + " belongs to relay " + delivery.relay()
          + ", not to " + RELAY);
    }
    return NotificationCodec.read(delivery.payload());
  }

  /** Running totals since the listener was built. */
  public Stats stats() {
    return new Stats(counters.matched.get(), counters.sent.get(), counters.delivered.get(), counters.failed.get(),
        counters.merged.get(), counters.suppressed.get(), counters.dropped.get(), left);
  }

  /**
   * With a store: waits up to {@link Builder#exitWait exitWait} for the deliveries of this process's events
   * (sending them itself), leaves the rest in the store for the next process, then closes every notifier and stops
   * the threads this listener owns. Without a store: drops pending digests and closes. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    left = pipeline.close(exitWait);
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("Notification resource did not close cleanly (resource={})", c.getClass().getName());
      }
    }
  }

  /**
   * Running totals.
   *
   * @param matched occurrences that matched a rule, counted once per channel
   * @param sent notifications handed to a channel
   * @param delivered notifications a channel accepted
   * @param failed notifications given up on after every attempt
   * @param merged occurrences folded into digests instead of being sent one by one
   * @param suppressed notifications held back by rate limits
   * @param dropped events or notifications dropped because a queue was full (without a store)
   * @param left after {@link #close()} with a store: deliveries of this process's events still pending when it
   *     stopped waiting, left in the store for the next process; 0 otherwise
   */
  public record Stats(long matched, long sent, long delivered, long failed, long merged, long suppressed,
      long dropped, int left) {}

  /** Configures a {@link NotificationListener}. Mutable and not thread-safe. */
  public static final class Builder {
    private @Nullable NotificationConfig config;
    private Clock clock = Clock.systemUTC();
    private @Nullable Scheduler scheduler;
    private @Nullable Executor executor;
    private Function<String, @Nullable String> environment = System::getenv;
    private final List<NotifierFactory> factories = new ArrayList<>();
    private Consumer<DeliveryFailedEvent> onDeliveryFailed = f -> {};
    private int maxAttempts = RetrySettings.DEFAULT.maxAttempts();
    private Duration initialDelay = RetrySettings.DEFAULT.initialDelay();
    private Duration maxDelay = RetrySettings.DEFAULT.maxDelay();
    private int queueCapacity = 10_000;
    private @Nullable ClassLoader classLoader;
    private @Nullable Store store;
    private Duration exitWait = DEFAULT_EXIT_WAIT;
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration lease = Duration.ofMinutes(1);
    private @Nullable ActionLinks links;

    Builder() {}

    /**
     * Signed one-tap links in the notifications of questions and approvals: approve and reject for an approval,
     * answer for a question (see {@link ActionLinks}); none by default. Give the dashboard the same secret, so it
     * can serve them.
     */
    public Builder actionLinks(ActionLinks links) {
      this.links = Objects.requireNonNull(links, "links");
      return this;
    }

    /** Channels and rules; required. */
    public Builder config(NotificationConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The clock for rate limits, digest windows and timestamps; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where digest windows and retry back-offs wait. By default the listener makes a
     * {@link Scheduler#daemon(String) daemon} named {@code orchestrator-notifications-timer} and closes it when it
     * closes; one given here stays the caller's to close.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Where rules, digests and rate limits run; work is handed to it one piece at a time. An owned daemon thread
     * ({@code orchestrator-notifications}) by default; {@code Runnable::run} makes tests deterministic.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Resolves {@code ${NAME}} references in channel properties; {@code System::getenv} by default. */
    public Builder environment(Function<String, @Nullable String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Registers a notifier factory; it wins over a discovered one of the same type. */
    public Builder notifierFactory(NotifierFactory factory) {
      factories.add(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /** Where to discover notifier plugins; this class's loader by default. */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /** Called once for each notification given up on; must be quick and must not throw. Nothing by default. */
    public Builder onDeliveryFailed(Consumer<DeliveryFailedEvent> callback) {
      this.onDeliveryFailed = Objects.requireNonNull(callback, "callback");
      return this;
    }

    /**
     * How many times a notification is sent before it is given up on; 4 by default. Only failures the channel
     * calls retryable (timeouts, 5xx, 429) are retried.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1 (was " + maxAttempts + ")");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The first retry delay and the longest one; 1 second and 1 minute by default. Delays double in between.
     *
     * @throws IllegalArgumentException when the first is not positive or the longest is not longer
     */
    public Builder backoff(Duration initial, Duration max) {
      new RetrySettings(1, initial, max);
      this.initialDelay = initial;
      this.maxDelay = max;
      return this;
    }

    /**
     * Sends through this store's outbox, so that no notification is lost when the process exits (see the class
     * description); give it the store the engine writes to. None by default: everything happens in this process.
     * The store must keep an event stream and an outbox (the in-memory and JDBC stores do).
     */
    public Builder store(Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * With a store: how long {@link NotificationListener#close()} waits for the deliveries of this process's own
     * events before it leaves them to the next process; 5 seconds by default. Zero waits for nothing.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder exitWait(Duration wait) {
      Objects.requireNonNull(wait, "wait");
      if (wait.isNegative()) {
        throw new IllegalArgumentException("exitWait must be >= 0 (was " + wait + "): use 0s to wait for nothing");
      }
      this.exitWait = wait;
      return this;
    }

    /**
     * With a store: how often the listener relays new events and sends what is due (any process's); 1 second by
     * default. Its own events are relayed soon after they happen, whatever this is.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder pollInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive (was " + interval + ")");
      }
      this.pollInterval = interval;
      return this;
    }

    /**
     * With a store: how long a claimed delivery is reserved for this process to send; another process sends it after
     * that if this one died. 1 minute by default; keep it longer than the slowest channel's timeout.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder lease(Duration lease) {
      Objects.requireNonNull(lease, "lease");
      if (lease.isNegative() || lease.isZero()) {
        throw new IllegalArgumentException("lease must be positive (was " + lease + ")");
      }
      this.lease = lease;
      return this;
    }

    /**
     * How many events may wait for the listener's thread; 10,000 by default. Events beyond it are dropped and
     * counted in {@link Stats#dropped()}.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be >= 1 (was " + capacity + ")");
      }
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * Builds the listener and creates every configured channel's notifier (no connection is made yet).
     *
     * @throws IllegalStateException when no configuration was given
     * @throws InvalidNotificationConfigException when a channel names an unknown plugin type, refers to an unset
     *     environment variable or is rejected by its plugin
     */
    public NotificationListener build() {
      if (config == null) {
        throw new IllegalStateException("a notification listener needs a configuration: call config(...)");
      }
      NotificationConfig cfg = config;
      Outbox outbox = null;
      long streamEnd = 0;
      if (store != null) {
        try {
          outbox = store.outbox();
          streamEnd = store.lastEventSequence();
        } catch (UnsupportedOperationException e) {
          throw new IllegalArgumentException("the store " + store + " cannot carry notifications (" + e.getMessage()
              + "): give the listener a store with an event stream and an outbox, or none", e);
        }
      }
      List<AutoCloseable> owned = new ArrayList<>();
      Scheduler sched = scheduler;
      if (sched == null) {
        Scheduler.Owned timer = Scheduler.daemon("orchestrator-notifications-timer");
        owned.add(timer);
        sched = timer;
      }
      ChannelFactory channelFactory = new ChannelFactory(factories,
          classLoader != null ? classLoader : NotificationListener.class.getClassLoader(),
          PluginContext.of(clock, sched, environment));
      Map<ChannelSpec, Notifier> notifiers = new LinkedHashMap<>();
      ProjectSettings defaults = cfg.defaults();
      if (defaults != null) {
        notifiers.putAll(channelFactory.create(distinct(defaults, notifiers), "notifications"));
      }
      cfg.projectSettings().forEach((project, s) -> notifiers.putAll(
          channelFactory.create(distinct(s, notifiers), "projects." + project + ".notifications")));
      if (!channelFactory.problems().isEmpty()) {
        for (Notifier n : notifiers.values()) {
          n.close();
        }
        closeAll(owned);
        throw new InvalidNotificationConfigException(channelFactory.problems());
      }
      Executor exec = executor;
      if (exec == null) {
        ExecutorService own = Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "orchestrator-notifications");
          t.setDaemon(true);
          return t;
        });
        owned.add(0, () -> {
          own.shutdown();
          if (!own.awaitTermination(2, TimeUnit.SECONDS)) {
            own.shutdownNow();
          }
        });
        exec = own;
      }
      Counters counters = new Counters();
      RetrySettings retry = new RetrySettings(maxAttempts, initialDelay, maxDelay);
      Redactor redactor = Redactor.forConfigs(channelFactory.resolved());
      ActionLinks oneTap = links;
      Function<String, Optional<ProjectSettings>> settings = oneTap == null ? cfg::settings
          : project -> cfg.settings(project).map(s -> s.withLinks(oneTap));
      if (store == null || outbox == null) {
        SerialExecutor serial = new SerialExecutor(exec, queueCapacity);
        Dispatcher dispatcher = new Dispatcher(settings, notifiers, clock, sched, serial, retry, redactor,
            onDeliveryFailed, counters);
        log.info("Notifications ready, in this process only (projects={}, defaults={}, channels={})",
            cfg.projects(), cfg.hasDefaults(), notifiers.size());
        return new NotificationListener(new InProcessPipeline(serial, dispatcher, counters), exitWait, counters,
            owned);
      }
      Failures failures = new Failures(redactor, onDeliveryFailed, clock);
      Channels channels = new Channels(cfg::settings, notifiers, failures);
      OwnEvents own = new OwnEvents(streamEnd);
      OutboxRelay relay = new OutboxRelay(store, outbox, settings, clock, counters, own, RELAY_BATCH);
      OutboxDeliverer deliverer = new OutboxDeliverer(outbox, owner(), channels, retry, lease, failures, counters,
          MAX_IN_FLIGHT);
      OutboxLoop loop = new OutboxLoop(store, outbox, relay, deliverer, own, sched, exec, clock, pollInterval,
          counters);
      log.info("Notifications ready, through the store's outbox (store={}, projects={}, defaults={}, channels={})",
          store, cfg.projects(), cfg.hasDefaults(), notifiers.size());
      NotificationListener listener = new NotificationListener(new OutboxPipeline(loop, own, channels), exitWait,
          counters, owned);
      loop.start();
      return listener;
    }

    /** This process in the outbox's claims: its process id and a random part (pids are reused). */
    private static String owner() {
      return "pid-" + ProcessHandle.current().pid() + "-"
          + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 24);
    }

    private static Set<ChannelSpec> distinct(ProjectSettings s, Map<ChannelSpec, Notifier> existing) {
      Set<ChannelSpec> out = new LinkedHashSet<>(s.channels().values());
      out.removeAll(existing.keySet());
      return out;
    }

    private static void closeAll(List<AutoCloseable> owned) {
      for (AutoCloseable c : owned) {
        try {
          c.close();
        } catch (Exception e) {
          log.debug("Resource did not close cleanly (resource={})", c.getClass().getName());
        }
      }
    }
  }
}
