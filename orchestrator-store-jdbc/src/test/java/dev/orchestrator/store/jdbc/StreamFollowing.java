package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spi.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Follows a store's event stream from 0 while others append, as {@code logs --follow} does, and checks that the
 * reader saw every event once, in increasing order: for the tests where the appends come from several stores or
 * processes on one database.
 */
final class StreamFollowing {
  private StreamFollowing() {}

  /** The event that writer {@code writer} appends {@code i}-th. */
  static TaskStartedEvent event(String writer, int i) {
    return new TaskStartedEvent("p-" + writer, "run-" + writer, "t" + i, Instant.parse("2025-03-01T10:00:00Z")
        .plusSeconds(i), TaskState.READY, writer, i);
  }

  /** Appends {@code count} events as {@code writer}. */
  static void append(Store store, String writer, int count) {
    for (int i = 0; i < count; i++) {
      store.append(event(writer, i));
    }
  }

  /**
   * Reads {@code reader}'s stream from 0 on a thread of its own until {@code writersDone} held before a read that
   * found nothing (so nothing was left), and returns what it saw; fails if it ever went back.
   */
  static Future<List<StoredEvent>> follow(ExecutorService on, Store reader, BooleanSupplier writersDone) {
    return on.submit(() -> {
      List<StoredEvent> seen = new ArrayList<>();
      long last = 0;
      while (true) {
        boolean done = writersDone.getAsBoolean();
        List<StoredEvent> batch = reader.eventsAfter(last, 50);
        for (StoredEvent e : batch) {
          assertThat(e.sequence()).as("the reader never goes back").isGreaterThan(last);
          last = e.sequence();
          seen.add(e);
        }
        if (batch.isEmpty()) {
          if (done) {
            return seen;
          }
          Thread.onSpinWait();
        }
      }
    });
  }

  /** Checks what the reader saw: the whole stream, in order, and each writer's events once in its own order. */
  static void check(List<StoredEvent> seen, Store store, List<String> writers, int perWriter) {
    List<StoredEvent> stream = new ArrayList<>();
    long last = 0;
    for (List<StoredEvent> batch; !(batch = store.eventsAfter(last, 500)).isEmpty(); ) {
      stream.addAll(batch);
      last = batch.get(batch.size() - 1).sequence();
    }
    assertThat(stream).hasSize(writers.size() * perWriter);
    List<StoredEvent> skipped = new ArrayList<>(stream);
    skipped.removeAll(seen);
    assertThat(skipped).as("events the reader skipped: they became visible behind its position").isEmpty();
    assertThat(seen).containsExactlyElementsOf(stream);
    for (String writer : writers) {
      assertThat(seen.stream().map(e -> (TaskStartedEvent) e.event()).filter(e -> e.provider().equals(writer))
          .map(TaskStartedEvent::attempt).toList())
          .as("writer %s's events, each once, in the order it appended them", writer)
          .containsExactlyElementsOf(java.util.stream.IntStream.range(0, perWriter).boxed().toList());
    }
  }

  /** A pool for the reader and the writers, shut down by the caller. */
  static ExecutorService threads(int n) {
    return Executors.newFixedThreadPool(n);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.get(120, TimeUnit.SECONDS);
  }
}
