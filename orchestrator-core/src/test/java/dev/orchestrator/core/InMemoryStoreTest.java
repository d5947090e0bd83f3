package dev.orchestrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.ClaimStore;
import dev.orchestrator.spi.store.StoredEvent;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.ClaimStoreContract;
import dev.orchestrator.testkit.StoreContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The in-memory store passes the store contract (its persistence checks are skipped: it is not durable). */
class InMemoryStoreTest extends StoreContract {
  @Override
  protected Store createStore() {
    return InMemoryStore.create();
  }

  /** A run's definition is written only when it is read; its tasks are found by id through a compact index. */
  @Nested
  class DeferredDefinitions {
    private final dev.orchestrator.run.RunRecord run = dev.orchestrator.run.RunRecord.submitted("p", "run-1",
        "wf", java.util.Map.of(), at(0));

    private java.util.List<dev.orchestrator.run.TaskRecord> tasks(int n) {
      java.util.List<dev.orchestrator.run.TaskRecord> out = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(dev.orchestrator.run.TaskRecord.created("p", "run-1", "t" + i, "T" + i, dev.orchestrator.Priority.MEDIUM,
            at(0)));
      }
      return out;
    }

    @Test
    void theDefinitionIsWrittenOnFirstRead() {
      InMemoryStore store = InMemoryStore.create();
      AtomicLong writes = new AtomicLong();
      store.createRun(run, () -> {
        writes.incrementAndGet();
        return "{\"v\":1}";
      }, tasks(2), "engine-1", Duration.ofMinutes(1));
      assertThat(writes).hasValue(0);
      assertThat(store.definition("p", "run-1")).contains("{\"v\":1}");
      assertThat(writes).hasValue(1);
    }

    @Test
    void everyTaskIsFoundByIdAndUpdatedByPosition() {
      InMemoryStore store = InMemoryStore.create();
      var lease = store.createRun(run, () -> "{}", tasks(1000), "engine-1", Duration.ofMinutes(1));
      for (int i = 0; i < 1000; i++) {
        assertThat(store.task("p", "run-1", "t" + i)).get().extracting(dev.orchestrator.run.TaskRecord::title)
            .isEqualTo("T" + i);
      }
      assertThat(store.task("p", "run-1", "t1000")).isEmpty();
      var ready = store.task("p", "run-1", "t7").orElseThrow().moveTo(TaskState.READY, at(1));
      assertThat(store.updateTask(lease, ready, 7)).isTrue();
      var running = ready.start("claude", at(2));
      assertThat(store.updateTask(lease, running, 3)).as("a wrong position falls back to the id").isTrue();
      assertThat(store.task("p", "run-1", "t7")).contains(running);
      assertThat(store.task("p", "run-1", "t3").orElseThrow().state()).isEqualTo(TaskState.BLOCKED);
    }
  }

  /** Its stream keeps the newest events: numbers go on growing, and a reader left behind resumes at the oldest kept. */
  @Nested
  class BoundedStream {
    private TaskStartedEvent event(int i) {
      return new TaskStartedEvent("p" + i % 2, "run-1", "t" + i, at(i), TaskState.READY, "claude", i);
    }

    @Test
    void aReaderFromADroppedSequenceGetsTheOldestKept() {
      InMemoryStore small = InMemoryStore.withEventCapacity(3);
      for (int i = 1; i <= 5; i++) {
        small.append(event(i));
      }
      assertThat(small.lastEventSequence()).isEqualTo(5);
      assertThat(small.eventsAfter(0, 10)).containsExactly(new StoredEvent(3, event(3)), new StoredEvent(4, event(4)),
          new StoredEvent(5, event(5)));
      assertThat(small.eventsAfter(1, 2)).extracting(StoredEvent::sequence).containsExactly(3L, 4L);
      assertThat(small.eventsAfter(3, 10)).extracting(StoredEvent::sequence).containsExactly(4L, 5L);
      assertThat(small.eventsAfter(5, 10)).isEmpty();
    }

    @Test
    void aStoreThatKeepsNoEventsStillNumbersThem() {
      InMemoryStore none = InMemoryStore.withEventCapacity(0);
      none.append(event(1));
      none.append(event(2));
      assertThat(none.lastEventSequence()).isEqualTo(2);
      assertThat(none.eventsAfter(0, 10)).isEmpty();
      assertThat(none.events("p1", "run-1")).isEmpty();
    }
  }

  /** It passes the claim contract too, on a clock that moves on by a millisecond at every read, as a database's does. */
  @Nested
  class Claims extends ClaimStoreContract {
    @Override
    protected ClaimStore createStore() {
      return InMemoryStore.create(new TickingClock(Instant.parse("2025-06-01T00:00:00Z"), Duration.ofMillis(1)));
    }
  }

  /** It passes the outbox contract, on the same ticking clock (one store: both "processes" share it). */
  @Nested
  class Outbox extends dev.orchestrator.testkit.OutboxContract {
    @Override
    protected Store createStore() {
      return InMemoryStore.create(new TickingClock(Instant.parse("2025-06-01T00:00:00Z"), Duration.ofMillis(1)));
    }
  }

  /** A clock that advances by a fixed step each time it is read: time always moves on between two store calls. */
  static final class TickingClock extends Clock {
    private final AtomicLong nanos;
    private final long step;

    TickingClock(Instant start, Duration step) {
      this.nanos = new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano());
      this.step = step.toNanos();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("a ticking test clock is UTC only");
    }

    @Override
    public Instant instant() {
      long n = nanos.addAndGet(step);
      return Instant.ofEpochSecond(0, n);
    }
  }
}
