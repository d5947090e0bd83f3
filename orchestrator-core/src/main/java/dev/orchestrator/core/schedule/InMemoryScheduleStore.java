package dev.orchestrator.core.schedule;

import dev.orchestrator.schedule.ScheduleFire;
import dev.orchestrator.spi.store.ScheduleStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ScheduleStore} in memory: for tests and single processes, lost when the process ends. Several
 * {@link Scheduling} services in one process may share it. It keeps every fire of every schedule until the schedule
 * is removed. Thread-safe: every method holds one lock, so a claim is atomic.
 */
public final class InMemoryScheduleStore implements ScheduleStore {
  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final TreeMap<String, StoredSchedule> schedules = new TreeMap<>();
  /** Guarded by {@link #lock}. Schedule id to its fires by fire time. */
  private final Map<String, TreeMap<Instant, ScheduleFire>> fires = new HashMap<>();

  private InMemoryScheduleStore() {}

  /** An empty store. */
  public static InMemoryScheduleStore create() {
    return new InMemoryScheduleStore();
  }

  @Override
  public void save(StoredSchedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    synchronized (lock) {
      schedules.put(schedule.id(), schedule);
    }
  }

  @Override
  public Optional<StoredSchedule> find(String id) {
    synchronized (lock) {
      return Optional.ofNullable(schedules.get(id));
    }
  }

  @Override
  public List<StoredSchedule> list() {
    synchronized (lock) {
      return List.copyOf(schedules.values());
    }
  }

  @Override
  public boolean delete(String id) {
    synchronized (lock) {
      fires.remove(id);
      return schedules.remove(id) != null;
    }
  }

  @Override
  public boolean claimFire(String scheduleId, Instant fireTime, Instant recordedAt) {
    Objects.requireNonNull(fireTime, "fireTime");
    Objects.requireNonNull(recordedAt, "recordedAt");
    synchronized (lock) {
      StoredSchedule s = schedules.get(scheduleId);
      if (s == null || s.paused()) {
        return false;
      }
      TreeMap<Instant, ScheduleFire> mine = fires.computeIfAbsent(scheduleId, k -> new TreeMap<>());
      if (mine.containsKey(fireTime)) {
        return false;
      }
      mine.put(fireTime, ScheduleFire.notRun(scheduleId, fireTime, ScheduleFire.Outcome.CLAIMED, recordedAt, ""));
      return true;
    }
  }

  @Override
  public void completeFire(ScheduleFire fire) {
    Objects.requireNonNull(fire, "fire");
    synchronized (lock) {
      TreeMap<Instant, ScheduleFire> mine = fires.get(fire.scheduleId());
      if (mine == null || !mine.containsKey(fire.fireTime())) {
        throw new IllegalStateException("the fire of schedule '" + fire.scheduleId() + "' at " + fire.fireTime()
            + " was not claimed: call claimFire first");
      }
      mine.put(fire.fireTime(), fire);
    }
  }

  @Override
  public List<ScheduleFire> fires(String scheduleId) {
    synchronized (lock) {
      TreeMap<Instant, ScheduleFire> mine = fires.get(scheduleId);
      return mine == null ? List.of() : List.copyOf(mine.values());
    }
  }

  @Override
  public Optional<ScheduleFire> lastFire(String scheduleId) {
    synchronized (lock) {
      TreeMap<Instant, ScheduleFire> mine = fires.get(scheduleId);
      return mine == null || mine.isEmpty() ? Optional.empty() : Optional.of(mine.lastEntry().getValue());
    }
  }
}
