package dev.orchestrator.core.schedule;

import dev.orchestrator.Scheduler;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.internal.WorkflowCodec;
import dev.orchestrator.core.schedule.internal.FireTimes;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.event.ScheduleFiredEvent;
import dev.orchestrator.event.ScheduleMisfiredEvent;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.Run;
import dev.orchestrator.schedule.MisfirePolicy;
import dev.orchestrator.schedule.Schedule;
import dev.orchestrator.schedule.ScheduleFire;
import dev.orchestrator.schedule.ScheduleStatus;
import dev.orchestrator.schedule.Trigger;
import dev.orchestrator.spi.store.ScheduleStore;
import dev.orchestrator.spi.store.ScheduleStore.StoredSchedule;
import dev.orchestrator.workflow.Workflow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service that starts runs at the times of their {@link Schedule}s: cron (Unix or Quartz syntax) or one-time
 * triggers, read in each schedule's time zone, with a misfire policy for fires it missed.
 *
 * <pre>{@code
 * try (Scheduling scheduling = Scheduling.builder()
 *     .orchestrator(orchestrator).store(scheduleStore).clock(clock).scheduler(scheduler)
 *     .build()) {
 *   scheduling.add(Schedule.builder().id("daily-report").project("blog").workflow(report)
 *       .trigger(Trigger.cron("0 9 * * *")).build());
 *   scheduling.list().forEach(s -> System.out.println(s.schedule().id() + " next " + s.nextFire()));
 * }
 * }</pre>
 *
 * <p>How it fires: each active schedule has one piece of work on the injected {@link Scheduler}, due at its next
 * fire time; nothing polls for due fires. When it runs, the service claims the fire in the store
 * ({@link ScheduleStore#claimFire}), so each (schedule, fire time) starts exactly one run even when several services
 * share the store, submits the run, records the fire (schedule, fire time, run id) in the store's history and emits
 * a {@link ScheduleFiredEvent}. The run's parameters are only the schedule's: the fire is recorded beside the run,
 * never inside its parameters.
 *
 * <p>Missed fires: when it starts, when a schedule is resumed, and whenever its work runs late, the service looks
 * at the fires since the schedule's last recorded fire. A fire handled more than the misfire threshold (one minute by
 * default) after its time was missed, and the schedule's {@link MisfirePolicy} decides whether it runs; each one that
 * does not is recorded as skipped with a {@link ScheduleMisfiredEvent}.
 *
 * <p>Lost fires: a process that stops between claiming a fire and submitting its run leaves the fire claimed and
 * its run never starts. The next time a service handles that schedule, a claim older than five minutes without a
 * run is recorded as failed, with a {@link ScheduleMisfiredEvent} saying so; it is not run again, since the
 * claiming process may still be alive.
 *
 * <p>Several services: a service sees schedules added, paused, resumed or removed by another service sharing its
 * store when their work comes due (it rereads the schedule first) and at each refresh (every 30 seconds by
 * default).
 *
 * <p>Thread-safe. Fires are handled one at a time, on the scheduler's thread. {@link #close()} cancels the pending
 * work; it leaves the orchestrator and the store open.
 */
public final class Scheduling implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scheduling.class);
  /** Missed fires enumerated at most per schedule in one catch-up; older ones are recorded without events. */
  static final int MAX_MISSED = 10_000;
  /** How long a claimed fire may wait for its run before it is reported lost. */
  static final Duration LOST_AFTER = Duration.ofMinutes(5);

  private final Orchestrator orchestrator;
  private final ScheduleStore store;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Duration misfireThreshold;
  private final Duration refreshInterval;
  private final Duration retryDelay;
  private final List<EventSubscriber> listeners;
  private final boolean firing;

  private final Object lock = new Object();
  /** Guarded by {@link #lock}. The work due at each active schedule's next fire. */
  private final Map<String, Armed> armed = new HashMap<>();
  /** Guarded by {@link #lock}. Parsed fire times by schedule id. */
  private final Map<String, Cached> cache = new HashMap<>();
  /** Guarded by {@link #lock}. Schedules whose trigger does not parse, as last seen: reported once each. */
  private final Map<String, StoredSchedule> broken = new HashMap<>();
  /** Guarded by {@link #lock}. */
  private Scheduler.@Nullable Cancellable refresher;
  /** Guarded by {@link #lock}. */
  private boolean closed;

  private Scheduling(Builder b, ScheduleStore store) {
    this.orchestrator = Objects.requireNonNull(b.orchestrator);
    this.store = store;
    this.clock = Objects.requireNonNull(b.clock);
    this.scheduler = Objects.requireNonNull(b.scheduler);
    this.misfireThreshold = b.misfireThreshold;
    this.refreshInterval = b.refreshInterval;
    this.retryDelay = b.retryDelay;
    this.listeners = List.copyOf(b.listeners);
    this.firing = b.firing;
  }

  /** Starts configuring a scheduling service. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The first {@code count} fire times of a trigger read in {@code zone}, strictly after {@code after}: what a
   * schedule added at {@code after} would do. Nothing is stored.
   *
   * @throws IllegalArgumentException when the cron expression is not valid or count is negative
   */
  public static List<Instant> fireTimes(Trigger trigger, ZoneId zone, Instant after, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0 (was " + count + ")");
    }
    return FireTimes.of(trigger, zone, after).next(after, count);
  }

  // ------------------------------------------------------------------ managing schedules

  /**
   * Adds a schedule. Its zone defaults to its project's (to the clock's zone when the project does not exist yet)
   * and its creation time is now; its first fire is its trigger's first time strictly after now.
   *
   * @return the schedule as stored, zone and creation time filled in
   * @throws IllegalArgumentException when the cron expression is not valid, a one-time instant is not after now, or
   *     the workflow has no value for one of its parameters
   * @throws IllegalStateException when a schedule with this id exists, or the service is closed
   */
  public Schedule add(Schedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    synchronized (lock) {
      checkOpen();
      Instant now = clock.instant();
      ZoneId zone = schedule.zone() != null ? schedule.zone()
          : orchestrator.project(schedule.project()).map(Project::zone).orElse(clock.getZone());
      if (schedule.trigger() instanceof Trigger.Once once && !once.at().isAfter(now)) {
        throw new IllegalArgumentException("schedule '" + schedule.id() + "' fires once at " + once.at()
            + ", which is not after now (" + now + "): pick a later instant");
      }
      if (FireTimes.of(schedule.trigger(), zone, now).next(now).isEmpty()) {
        throw new IllegalArgumentException("schedule '" + schedule.id() + "' never fires: " + neverFires(
            schedule.trigger(), zone, now));
      }
      List<String> missing = schedule.workflow().missingParameters(schedule.params());
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("schedule '" + schedule.id() + "' gives no value for parameter"
            + (missing.size() == 1 ? " " : "s ") + missing + " of workflow '" + schedule.workflow().name()
            + "': add them with param(...) or give the workflow defaults");
      }
      if (store.find(schedule.id()).isPresent()) {
        throw new IllegalStateException("schedule '" + schedule.id() + "' exists already: remove it first or "
            + "pick another id");
      }
      Schedule added = schedule.toBuilder().zone(zone).createdAt(now).build();
      store.save(StoredSchedule.builder().id(added.id()).project(added.project()).workflow(added.workflow().name())
          .definition(WorkflowCodec.write(added.workflow())).params(added.params()).trigger(added.trigger())
          .zone(zone).misfire(added.misfire()).paused(added.paused()).createdAt(now).build());
      log.info("Schedule added (schedule={}, project={}, workflow={}, trigger={}, zone={}, paused={})", added.id(),
          added.project(), added.workflow().name(), added.trigger(), zone, added.paused());
      if (!added.paused()) {
        process(added.id());
      }
      return added;
    }
  }

  /** Every schedule with its next and last fire, sorted by id. */
  public List<ScheduleStatus> list() {
    List<ScheduleStatus> out = new ArrayList<>();
    for (StoredSchedule s : store.list()) {
      out.add(status(s));
    }
    return out;
  }

  /** The schedules of one project with their next and last fire, sorted by id. */
  public List<ScheduleStatus> list(String project) {
    Objects.requireNonNull(project, "project");
    List<ScheduleStatus> out = new ArrayList<>();
    for (StoredSchedule s : store.list()) {
      if (s.project().equals(project)) {
        out.add(status(s));
      }
    }
    return out;
  }

  /** One schedule with its next and last fire, if there is one with this id. */
  public Optional<ScheduleStatus> find(String id) {
    return store.find(id).map(this::status);
  }

  /**
   * The next {@code count} fire times of a schedule after now (whether or not it is paused).
   *
   * @throws IllegalArgumentException when there is no such schedule
   */
  public List<Instant> nextFires(String id, int count) {
    StoredSchedule s = require(id);
    Instant from = clock.instant();
    Optional<ScheduleFire> last = store.lastFire(id);
    if (last.isPresent() && last.get().fireTime().isAfter(from)) {
      from = last.get().fireTime();
    }
    return FireTimes.of(s.trigger(), s.zone(), s.createdAt()).next(from, count);
  }

  /** The fires of a schedule, oldest first: which fire time started which run, and which were skipped. */
  public List<ScheduleFire> fires(String id) {
    return store.fires(id);
  }

  /**
   * Pauses a schedule: it does not fire until resumed. Does nothing when it is paused already.
   *
   * @throws IllegalArgumentException when there is no such schedule
   */
  public void pause(String id) {
    synchronized (lock) {
      StoredSchedule s = require(id);
      disarm(id);
      if (!s.paused()) {
        store.save(s.withPaused(true));
        log.info("Schedule paused (schedule={}, project={})", id, s.project());
      }
    }
  }

  /**
   * Resumes a paused schedule. The fires it missed while paused are handled by its misfire policy at once. Does
   * nothing but that when it is not paused.
   *
   * @throws IllegalArgumentException when there is no such schedule
   * @throws IllegalStateException when the service is closed
   */
  public void resume(String id) {
    synchronized (lock) {
      checkOpen();
      StoredSchedule s = require(id);
      if (s.paused()) {
        store.save(s.withPaused(false));
        log.info("Schedule resumed (schedule={}, project={})", id, s.project());
      }
      process(id);
    }
  }

  /** Removes a schedule and its fire history; returns whether there was one. */
  public boolean remove(String id) {
    synchronized (lock) {
      disarm(id);
      cache.remove(id);
      boolean removed = store.delete(id);
      if (removed) {
        log.info("Schedule removed (schedule={})", id);
      }
      return removed;
    }
  }

  /**
   * Rereads every schedule from the store: fires what is due, arms schedules another service added or resumed, and
   * drops those it paused or removed. Runs by itself every refresh interval.
   */
  public void refresh() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      Set<String> seen = new HashSet<>();
      for (StoredSchedule s : store.list()) {
        seen.add(s.id());
        Armed a = armed.get(s.id());
        if (s.paused()) {
          disarm(s.id());
        } else if ((a == null || !s.equals(a.schedule)) && !s.equals(broken.get(s.id()))) {
          // New here, resumed, or changed by another service: its work is missing or stale.
          process(s.id());
        }
      }
      for (String id : new ArrayList<>(armed.keySet())) {
        if (!seen.contains(id)) {
          disarm(id);
        }
      }
    }
  }

  /** Cancels every pending fire and the refresh; leaves the orchestrator and the store open. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      for (Armed a : armed.values()) {
        a.handle.cancel();
      }
      armed.clear();
      if (refresher != null) {
        refresher.cancel();
        refresher = null;
      }
    }
  }

  // ------------------------------------------------------------------ firing

  private void start() {
    if (!firing) {
      return;
    }
    synchronized (lock) {
      for (StoredSchedule s : store.list()) {
        process(s.id());
      }
      scheduleRefresh();
    }
  }

  private void scheduleRefresh() {
    if (refreshInterval.isZero() || closed) {
      return;
    }
    refresher = scheduler.schedule(() -> {
      try {
        refresh();
      } catch (RuntimeException e) {
        log.warn("Schedule refresh failed; retrying at the next refresh (interval={})", refreshInterval, e);
      }
      synchronized (lock) {
        scheduleRefresh();
      }
    }, refreshInterval);
  }

  /** Handles every due fire of a schedule, then arms its next fire. Holds {@link #lock}. */
  private void process(String id) {
    if (!firing) {
      return; // a service that only manages schedules leaves firing them to another
    }
    if (closed) {
      return;
    }
    disarm(id);
    StoredSchedule s;
    try {
      Optional<StoredSchedule> found = store.find(id);
      if (found.isEmpty() || found.get().paused()) {
        if (found.isEmpty()) {
          cache.remove(id);
        }
        return;
      }
      s = found.get();
      Instant now = clock.instant();
      reportLost(s, now);
      FireTimes times;
      try {
        times = times(s);
      } catch (IllegalArgumentException e) {
        // Stored before its expression was refused (or written by another tool): it cannot fire, and trying again
        // will not help until it changes. Said once; `list` shows it with the reason.
        if (!s.equals(broken.put(id, s))) {
          log.warn("Schedule cannot fire: remove it and add it again with a valid trigger (schedule={}, project={}, "
              + "trigger={}, reason={})", id, s.project(), s.trigger(), e.getMessage());
        }
        return;
      }
      broken.remove(id);
      Instant from = store.lastFire(id).map(ScheduleFire::fireTime).orElse(s.createdAt());
      if (from.isBefore(s.createdAt())) {
        from = s.createdAt();
      }
      List<Instant> due = new ArrayList<>();
      Instant cursor = from;
      long dropped = 0;
      while (true) {
        Optional<Instant> next = times.next(cursor);
        if (next.isEmpty() || next.get().isAfter(now)) {
          break;
        }
        cursor = next.get();
        if (due.size() == MAX_MISSED) {
          due.remove(0);
          dropped++;
        }
        due.add(cursor);
      }
      if (dropped > 0) {
        log.warn("Too many missed fires to report one by one; the oldest are dropped without events "
            + "(schedule={}, dropped={}, reported={})", id, dropped, due.size());
      }
      handle(s, due, now);
      Optional<Instant> next = times.next(now);
      if (next.isPresent()) {
        arm(s, next.get(), Duration.between(now, next.get()));
      }
    } catch (RuntimeException e) {
      log.warn("Schedule could not be processed; retrying (schedule={}, retryIn={})", id, retryDelay, e);
      retry(id);
    }
  }

  /**
   * Runs or skips each due fire, oldest first, as the misfire policy says. RUN_ONCE catches up with one run, as
   * Quartz's fire-once-now does: when any fire due was missed, only the latest fire due runs (missed or on time), so
   * an outage never starts two or three runs at once.
   */
  private void handle(StoredSchedule s, List<Instant> due, Instant now) {
    if (due.isEmpty()) {
      return;
    }
    MisfirePolicy policy = s.misfire();
    Instant latest = due.get(due.size() - 1);
    boolean anyMissed = missed(due.get(0), now); // the oldest is the latest handled
    for (Instant f : due) {
      boolean missed = missed(f, now);
      String reason = switch (policy.kind()) {
        case SKIP -> missed ? "missed: the SKIP policy runs no missed fire" : null;
        case RUN_ONCE -> anyMissed && !f.equals(latest)
            ? "missed: the RUN_ONCE policy runs only the latest fire due, at " + latest : null;
        case RUN_ALL -> missed && Duration.between(f, now).compareTo(policy.window()) > 0
            ? "missed: older than the RUN_ALL window of " + policy.window() : null;
      };
      if (reason == null) {
        fire(s, f, now);
      } else {
        skip(s, f, now, reason);
      }
    }
  }

  private boolean missed(Instant fireTime, Instant now) {
    return Duration.between(fireTime, now).compareTo(misfireThreshold) > 0;
  }

  private void fire(StoredSchedule s, Instant fireTime, Instant now) {
    if (!store.claimFire(s.id(), fireTime, now)) {
      log.debug("Fire claimed elsewhere (schedule={}, fireTime={})", s.id(), fireTime);
      return;
    }
    Run run;
    try {
      Workflow workflow = WorkflowCodec.read(s.definition());
      run = orchestrator.submit(s.project(), workflow, s.params());
    } catch (RuntimeException e) {
      // Whatever went wrong (a parameter or provider the engine no longer has, an archived project, a closed engine),
      // the claimed fire must not stay CLAIMED: record it as failed.
      failed(s, fireTime, e);
      return;
    }
    Instant at = clock.instant();
    store.completeFire(ScheduleFire.started(s.id(), fireTime, run.id(), at));
    log.info("Schedule fired (schedule={}, project={}, fireTime={}, run={}, late={})", s.id(), s.project(), fireTime,
        run.id(), Duration.between(fireTime, at));
    emit(new ScheduleFiredEvent(s.project(), run.id(), at, s.id(), fireTime, s.workflow()));
  }

  /** Records as failed each fire claimed long ago whose run never started: its claiming process stopped. */
  private void reportLost(StoredSchedule s, Instant now) {
    for (ScheduleFire f : store.fires(s.id())) {
      if (f.outcome() != ScheduleFire.Outcome.CLAIMED
          || Duration.between(f.recordedAt(), now).compareTo(LOST_AFTER) <= 0) {
        continue;
      }
      String reason = "lost: the process that claimed it at " + f.recordedAt() + " stopped before it started the run";
      store.completeFire(ScheduleFire.notRun(s.id(), f.fireTime(), ScheduleFire.Outcome.FAILED, now, reason));
      log.warn("Scheduled fire lost (schedule={}, project={}, fireTime={}, claimedAt={})", s.id(), s.project(),
          f.fireTime(), f.recordedAt());
      emit(new ScheduleMisfiredEvent(s.project(), now, s.id(), f.fireTime(), s.workflow(), s.misfire().kind(),
          reason));
    }
  }

  private void failed(StoredSchedule s, Instant fireTime, RuntimeException e) {
    Instant at = clock.instant();
    String reason = "the run could not be submitted: " + e.getMessage();
    store.completeFire(ScheduleFire.notRun(s.id(), fireTime, ScheduleFire.Outcome.FAILED, at, reason));
    log.warn("Scheduled run not submitted (schedule={}, project={}, fireTime={}, error={})", s.id(), s.project(),
        fireTime, e.toString());
    emit(new ScheduleMisfiredEvent(s.project(), at, s.id(), fireTime, s.workflow(), s.misfire().kind(), reason));
  }

  private void skip(StoredSchedule s, Instant fireTime, Instant now, String reason) {
    if (!store.claimFire(s.id(), fireTime, now)) {
      return;
    }
    store.completeFire(ScheduleFire.notRun(s.id(), fireTime, ScheduleFire.Outcome.SKIPPED, now, reason));
    log.info("Schedule fire skipped (schedule={}, project={}, fireTime={}, policy={})", s.id(), s.project(), fireTime,
        s.misfire().kind());
    emit(new ScheduleMisfiredEvent(s.project(), now, s.id(), fireTime, s.workflow(), s.misfire().kind(), reason));
  }

  private void emit(Event event) {
    // Through the engine: stored and delivered to its listeners (notifications, dashboard) in order with its events.
    dev.orchestrator.core.internal.EngineAccess.publish(orchestrator, event);
    for (EventSubscriber l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("Listener failed (listener={}, type={})", l.getClass().getName(), event.getClass().getSimpleName(),
            e);
      }
    }
  }

  private void arm(StoredSchedule s, Instant due, Duration delay) {
    String id = s.id();
    Scheduler.Cancellable handle = scheduler.schedule(() -> {
      synchronized (lock) {
        Armed a = armed.get(id);
        if (a != null && a.due.equals(due)) {
          armed.remove(id);
          process(id);
        }
      }
    }, delay);
    armed.put(id, new Armed(s, due, handle));
  }

  /** Tries a schedule again after the retry delay, whatever its state in the store. */
  private void retry(String id) {
    Scheduler.Cancellable handle = scheduler.schedule(() -> {
      synchronized (lock) {
        Armed a = armed.get(id);
        if (a != null && a.schedule == null) {
          armed.remove(id);
          process(id);
        }
      }
    }, retryDelay);
    armed.put(id, new Armed(null, clock.instant().plus(retryDelay), handle));
  }

  /** The fire times of a schedule, parsed once per version of it. Holds {@link #lock}. */
  private FireTimes times(StoredSchedule s) {
    Cached c = cache.get(s.id());
    if (c == null || !c.schedule.equals(s)) {
      c = new Cached(s, FireTimes.of(s.trigger(), s.zone(), s.createdAt()));
      cache.put(s.id(), c);
    }
    return c.times;
  }

  private void disarm(String id) {
    Armed a = armed.remove(id);
    if (a != null) {
      a.handle.cancel();
    }
  }

  // ------------------------------------------------------------------ helpers

  private ScheduleStatus status(StoredSchedule s) {
    Optional<ScheduleFire> last = store.lastFire(s.id());
    Instant next = null;
    if (!s.paused()) {
      Instant from = clock.instant();
      if (last.isPresent() && last.get().fireTime().isAfter(from)) {
        from = last.get().fireTime();
      }
      try {
        next = FireTimes.of(s.trigger(), s.zone(), s.createdAt()).next(from).orElse(null);
      } catch (IllegalArgumentException e) {
        return ScheduleStatus.builder().schedule(toSchedule(s)).lastFire(last.orElse(null))
            .problem(e.getMessage() + "; remove the schedule and add it again with a valid trigger").build();
      }
    }
    return ScheduleStatus.of(toSchedule(s), next, last.orElse(null));
  }

  /** Why a trigger has no time after {@code now}, and the fix. */
  private static String neverFires(Trigger trigger, ZoneId zone, Instant now) {
    Instant at = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    if (trigger instanceof Trigger.Cron c) {
      boolean quartz = c.syntax() == dev.orchestrator.schedule.CronSyntax.QUARTZ;
      return "no time of cron expression '" + c.expression() + "' comes after " + at + " in " + zone + ": its "
          + (quartz ? "day-of-month, month, day-of-week and year fields never match together (such as February "
              + "30th, '31W' in February or a year gone by)"
              : "day-of-month, month and day-of-week fields never match together (such as February 30th or April "
              + "31st)") + ": fix those fields";
    }
    return "its one time is not after now (" + at + "): pick a later instant";
  }

  private static Schedule toSchedule(StoredSchedule s) {
    return Schedule.builder().id(s.id()).project(s.project()).workflow(WorkflowCodec.read(s.definition()))
        .params(s.params()).trigger(s.trigger()).zone(s.zone()).misfire(s.misfire()).paused(s.paused())
        .createdAt(s.createdAt()).build();
  }

  private StoredSchedule require(String id) {
    Objects.requireNonNull(id, "id");
    return store.find(id).orElseThrow(() -> new IllegalArgumentException("there is no schedule '" + id
        + "' (schedules: " + store.list().stream().map(StoredSchedule::id).toList() + ")"));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this scheduling service is closed: build a new one");
    }
  }

  /** Work due at a schedule's next fire; a null schedule marks a retry after a failure. */
  private record Armed(@Nullable StoredSchedule schedule, Instant due, Scheduler.Cancellable handle) {}

  private record Cached(StoredSchedule schedule, FireTimes times) {}

  /** Configures a {@link Scheduling} service. Mutable and not thread-safe. */
  public static final class Builder {
    private @Nullable Orchestrator orchestrator;
    private @Nullable ScheduleStore store;
    private @Nullable Clock clock;
    private @Nullable Scheduler scheduler;
    private Duration misfireThreshold = Duration.ofMinutes(1);
    private Duration refreshInterval = Duration.ofSeconds(30);
    private Duration retryDelay = Duration.ofMinutes(1);
    private final List<EventSubscriber> listeners = new ArrayList<>();
    private boolean firing = true;

    Builder() {}

    /** The engine that runs what fires. Required. */
    public Builder orchestrator(Orchestrator orchestrator) {
      this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
      return this;
    }

    /** Where schedules and their fires live; a new {@link InMemoryScheduleStore} by default. */
    public Builder store(ScheduleStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The clock fire times are compared with; give the orchestrator's. Required. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where the work due at each next fire is scheduled; give the orchestrator's. Required. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * How late a fire may be handled and still count as on time; later, it was missed and its schedule's misfire
     * policy applies. One minute by default.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder misfireThreshold(Duration threshold) {
      Objects.requireNonNull(threshold, "threshold");
      if (threshold.isNegative()) {
        throw new IllegalArgumentException("misfireThreshold must not be negative (was " + threshold + ")");
      }
      this.misfireThreshold = threshold;
      return this;
    }

    /**
     * How often the service rereads the store for schedules that other services sharing it added, paused, resumed
     * or removed; 30 seconds by default, {@link Duration#ZERO} for never (a store used by one service only).
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder refreshInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("refreshInterval must not be negative (was " + interval
            + "): use Duration.ZERO to turn it off");
      }
      this.refreshInterval = interval;
      return this;
    }

    /** How long to wait before trying a schedule again when the store failed; one minute by default. */
    public Builder retryDelay(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("retryDelay must be positive (was " + delay + ")");
      }
      this.retryDelay = delay;
      return this;
    }

    /**
     * Whether this service fires schedules; true by default. A service that does not only adds, lists, pauses,
     * resumes and removes them (a command line does this while a long-running worker fires).
     */
    public Builder firing(boolean firing) {
      this.firing = firing;
      return this;
    }

    /** Receives every {@link ScheduleFiredEvent} and {@link ScheduleMisfiredEvent}, on the scheduler's thread. */
    public Builder listener(EventSubscriber listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Builds the service and starts it: it handles the fires every schedule missed while no service ran, then arms
     * each schedule's next fire.
     *
     * @throws IllegalStateException when the orchestrator, clock or scheduler is missing
     */
    public Scheduling build() {
      if (orchestrator == null) {
        throw new IllegalStateException("a scheduling service needs an orchestrator: call orchestrator(...)");
      }
      if (clock == null) {
        throw new IllegalStateException("a scheduling service needs the clock: call clock(...) with the "
            + "orchestrator's clock");
      }
      if (scheduler == null) {
        throw new IllegalStateException("a scheduling service needs a scheduler: call scheduler(...) with the "
            + "orchestrator's scheduler");
      }
      Scheduling s = new Scheduling(this, store != null ? store : InMemoryScheduleStore.create());
      s.start();
      return s;
    }
  }
}
