package dev.orchestrator.notifiers;

import dev.orchestrator.Scheduler;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventListener;
import dev.orchestrator.notifiers.internal.ChannelFactory;
import dev.orchestrator.notifiers.internal.ChannelSpec;
import dev.orchestrator.notifiers.internal.Counters;
import dev.orchestrator.notifiers.internal.Dispatcher;
import dev.orchestrator.notifiers.internal.EventMapper;
import dev.orchestrator.notifiers.internal.ProjectSettings;
import dev.orchestrator.notifiers.internal.Redactor;
import dev.orchestrator.notifiers.internal.RetrySettings;
import dev.orchestrator.notifiers.internal.SerialExecutor;
import dev.orchestrator.notifiers.internal.TimerScheduler;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * Sends notifications about engine events, by each project's rules. Attach it to the engine:
 *
 * <pre>{@code
 * NotificationListener notifications = NotificationListener.builder()
 *     .config(NotificationConfig.read(Path.of("notifications.json")))
 *     .onDeliveryFailed(failure -> metrics.count("notification.failed"))
 *     .build();
 * try (Orchestrator orchestrator = Orchestrator.builder().listener(notifications).build()) { ... }
 * notifications.close();
 * }</pre>
 *
 * <p><b>It never holds up the engine.</b> {@link #onEvent} only queues the event (a bounded queue; when it is full
 * the event is dropped and counted) and returns; rules, rendering, digests and rate limits run on the listener's
 * own thread (or the executor given), and delivery is asynchronous, retried with exponential back-off through
 * the scheduler. A channel that fails is logged and reported to {@link Builder#onDeliveryFailed}; it never
 * slows or breaks a run.
 *
 * <p><b>No storms.</b> The first occurrence of an event for a channel is sent at once; identical ones (same
 * project, channel and event) within the project's digest window are merged into one digest sent when the window
 * closes ("12 tasks failed in project X in the last 5 minutes"). Each channel also has a rate limit (10 messages a
 * minute unless configured); messages over it are held back and counted in the channel's next message.
 *
 * <p>Thread-safe. {@link #close()} drops pending digests, closes the notifiers and stops the threads it owns.
 */
public final class NotificationListener implements EventListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

  private final SerialExecutor serial;
  private final Dispatcher dispatcher;
  private final Counters counters;
  private final List<AutoCloseable> owned;
  private volatile boolean closed;

  private NotificationListener(SerialExecutor serial, Dispatcher dispatcher, Counters counters,
      List<AutoCloseable> owned) {
    this.serial = serial;
    this.dispatcher = dispatcher;
    this.counters = counters;
    this.owned = owned;
  }

  /** Starts configuring a listener. */
  public static Builder builder() {
    return new Builder();
  }

  /** Queues the event and returns at once. Never throws. */
  @Override
  public void onEvent(Event event) {
    if (closed || !EventMapper.interesting(event)) {
      return;
    }
    try {
      if (!serial.execute(() -> dispatcher.accept(event))) {
        long n = counters.dropped.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
          log.warn("Notification queue full: event dropped (project={}, event={}, dropped={})", event.project(),
              event.getClass().getSimpleName(), n);
        }
      }
    } catch (RuntimeException e) {
      log.warn("Notification listener could not queue an event (project={}, error={})", event.project(),
          e.getClass().getName());
    }
  }

  /** Running totals since the listener was built. */
  public Stats stats() {
    return new Stats(counters.matched.get(), counters.sent.get(), counters.delivered.get(), counters.failed.get(),
        counters.merged.get(), counters.suppressed.get(), counters.dropped.get());
  }

  /** Drops pending digests, closes every notifier and stops the threads this listener owns. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    dispatcher.close();
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
   * @param dropped events or notifications dropped because a queue was full
   */
  public record Stats(long matched, long sent, long delivered, long failed, long merged, long suppressed,
      long dropped) {}

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

    Builder() {}

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

    /** Where digest windows and retry back-offs wait; an owned timer thread by default. */
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
      List<AutoCloseable> owned = new ArrayList<>();
      Scheduler sched = scheduler;
      if (sched == null) {
        TimerScheduler timer = new TimerScheduler("orchestrator-notifications-timer");
        owned.add(timer);
        sched = timer;
      }
      ChannelFactory channelFactory = new ChannelFactory(factories,
          classLoader != null ? classLoader : NotificationListener.class.getClassLoader(),
          new PluginContext(clock, sched, environment));
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
      SerialExecutor serial = new SerialExecutor(exec, queueCapacity);
      Counters counters = new Counters();
      Dispatcher dispatcher = new Dispatcher(cfg::settings, notifiers, clock, sched, serial,
          new RetrySettings(maxAttempts, initialDelay, maxDelay), Redactor.forConfigs(channelFactory.resolved()),
          onDeliveryFailed, counters);
      log.info("Notifications ready (projects={}, defaults={}, channels={})", cfg.projects(), cfg.hasDefaults(),
          notifiers.size());
      return new NotificationListener(serial, dispatcher, counters, owned);
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
