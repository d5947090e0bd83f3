package dev.orchestrator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.RunSubmittedEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The feed on virtual time: ManualScheduler and MutableClock, a store that fails on demand, nothing sleeps. */
class EventFeedTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryStore memory = InMemoryStore.create();
  private final FlakyStore flaky = new FlakyStore(memory);
  private final List<Event> delivered = new ArrayList<>();

  private static Event event(int i) {
    return new TaskStartedEvent("p", "run-1", "t" + i, Instant.EPOCH.plusSeconds(i), TaskState.READY, "claude", i);
  }

  private List<Event> append(int from, int to) {
    List<Event> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      memory.append(event(i));
      out.add(event(i));
    }
    return out;
  }

  private EventFeed.Builder feed() {
    return EventFeed.builder(flaky.store()).scheduler(scheduler);
  }

  @Test
  void deliversTheEventsAfterTheGivenSequenceInOrderOnTheScheduler() {
    List<Event> all = append(0, 5);
    try (EventFeed feed = feed().from(2).start(delivered::add)) {
      assertThat(delivered).as("nothing before the scheduler runs the first read").isEmpty();
      scheduler.runDue();
      assertThat(delivered).containsExactlyElementsOf(all.subList(2, 5));
      assertThat(feed.position()).isEqualTo(5);

      List<Event> later = append(5, 7);
      scheduler.advance(Duration.ofMillis(199));
      assertThat(delivered).hasSize(3);
      scheduler.advance(Duration.ofMillis(1));
      assertThat(delivered).containsExactlyElementsOf(concat(all.subList(2, 5), later));
    }
  }

  @Test
  void fromNowByDefaultAndFromZeroForEverything() {
    List<Event> old = append(0, 3);
    try (EventFeed now = feed().start(delivered::add)) {
      scheduler.runDue();
      assertThat(delivered).isEmpty();
      assertThat(now.position()).isEqualTo(3);
      List<Event> fresh = append(3, 4);
      scheduler.advance(EventFeed.DEFAULT_POLL_INTERVAL);
      assertThat(delivered).containsExactlyElementsOf(fresh);
    }
    List<Event> all = new ArrayList<>();
    try (EventFeed everything = feed().from(0).start(all::add)) {
      scheduler.runDue();
      assertThat(all).containsExactlyElementsOf(concat(old, List.of(event(3))));
    }
  }

  @Test
  void pollsEveryIntervalAndAtOnceWhileABatchComesBackFull() {
    append(0, 7);
    try (EventFeed feed = feed().from(0).batchSize(2).pollInterval(Duration.ofSeconds(1)).start(delivered::add)) {
      Instant start = clock.instant();
      scheduler.runDue();
      assertThat(delivered).as("full batches are followed by another read at once").hasSize(7);
      assertThat(clock.instant()).isEqualTo(start);
      assertThat(scheduler.dueTimes()).containsExactly(start.plusSeconds(1));
      assertThat(flaky.reads.get()).isEqualTo(4);
    }
  }

  @Test
  void keepsItsPlaceAcrossStoreErrorsBackingOffUpToTheMaximum() {
    List<Event> first = append(0, 2);
    try (EventFeed feed = feed().from(0).maxBackoff(Duration.ofSeconds(1)).start(delivered::add)) {
      scheduler.runDue();
      assertThat(delivered).containsExactlyElementsOf(first);

      flaky.failNext(5);
      List<Event> during = append(2, 4);
      Instant t = clock.instant();
      List<Duration> waits = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Instant due = scheduler.dueTimes().get(0);
        waits.add(Duration.between(t, due));
        t = due;
        scheduler.advanceTo(due);
      }
      assertThat(waits).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
          Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
      assertThat(flaky.failures.get()).isEqualTo(5);
      assertThat(delivered).as("after the store came back: no event skipped, none twice")
          .containsExactlyElementsOf(concat(first, during));
      assertThat(feed.position()).isEqualTo(4);
      assertThat(scheduler.dueTimes()).as("back to the poll interval")
          .containsExactly(clock.instant().plus(EventFeed.DEFAULT_POLL_INTERVAL));
    }
  }

  @Test
  void neverDeliversAnEventTwiceEvenWhenTheStoreRepeatsIt() {
    List<Event> all = append(0, 4);
    flaky.answer = after -> 0L; // a broken store that always answers from the start
    try (EventFeed feed = feed().from(0).start(delivered::add)) {
      scheduler.runDue();
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(delivered).containsExactlyElementsOf(all);
    }
  }

  @Test
  void aListenerThatThrowsLosesThatEventOnly() {
    List<Event> all = append(0, 3);
    try (EventFeed feed = feed().from(0).start(e -> {
      delivered.add(e);
      if (e.equals(all.get(1))) {
        throw new IllegalStateException("listener bug");
      }
    })) {
      scheduler.runDue();
      assertThat(delivered).containsExactlyElementsOf(all);
      assertThat(feed.position()).isEqualTo(3);
    }
  }

  @Test
  void closeIsIdempotentStopsPollingAndWorksFromTheListener() {
    append(0, 5);
    AtomicInteger calls = new AtomicInteger();
    EventFeed[] self = new EventFeed[1];
    self[0] = feed().from(0).start(e -> {
      delivered.add(e);
      if (calls.incrementAndGet() == 2) {
        self[0].close();
      }
    });
    scheduler.runDue();
    assertThat(delivered).as("no event after the one that closed the feed").hasSize(2);
    assertThat(self[0].isClosed()).isTrue();
    assertThat(self[0].position()).isEqualTo(2);
    assertThat(scheduler.pending()).isZero();
    self[0].close();

    EventFeed other = feed().from(0).start(e -> delivered.add(e));
    other.close();
    other.close();
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(delivered).hasSize(2);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aStoreWithoutAStreamIsSaidAtOnce() {
    Store none = storeWithoutStream();
    assertThatThrownBy(() -> EventFeed.builder(none).scheduler(scheduler).start(delivered::add))
        .isInstanceOf(UnsupportedOperationException.class);
    EventFeed fromZero = EventFeed.builder(none).scheduler(scheduler).from(0).start(delivered::add);
    scheduler.runDue();
    assertThat(fromZero.isClosed()).as("a read that can never succeed stops the feed").isTrue();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void fromNowOnAStoreThatCannotBeReadFailsAtStart() {
    flaky.failNext(1);
    assertThatThrownBy(() -> feed().start(delivered::add)).isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("store down");
  }

  @Test
  void badSettingsAreRefusedNamingTheValue() {
    EventFeed.Builder b = feed();
    assertThatThrownBy(() -> b.from(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    assertThatThrownBy(() -> b.pollInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pollInterval").hasMessageContaining("PT0S");
    assertThatThrownBy(() -> b.maxBackoff(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> b.batchSize(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSize").hasMessageContaining("0");
  }

  /** Without a scheduler the feed reads on a daemon thread of its own; it ends with close. */
  @Test
  void onItsOwnThreadByDefault() throws Exception {
    CompletableFuture<String> thread = new CompletableFuture<>();
    try (EventFeed feed = EventFeed.builder(memory).pollInterval(Duration.ofMillis(10)).start(e -> {
      delivered.add(e);
      thread.complete(Thread.currentThread().getName());
    })) {
      memory.append(event(1));
      assertThat(thread.get(30, TimeUnit.SECONDS)).isEqualTo("orchestrator-event-feed");
      assertThat(feed.position()).isEqualTo(1);
    }
  }

  @Nested
  class FromTheOrchestrator {
    @Test
    void followDeliversTheRunsEventsAsTheStoreHasThem() throws Exception {
      CompletableFuture<Void> finished = new CompletableFuture<>();
      List<Event> followed = new CopyOnWriteArrayList<>();
      try (Orchestrator o = Orchestrator.builder().store(memory).provider(FakeProvider.echo("claude"))
          .defaultProvider("claude").build();
          EventFeed feed = o.follow(0, e -> {
            followed.add(e);
            if (e instanceof RunFinishedEvent) {
              finished.complete(null);
            }
          })) {
        RunSnapshot done = o.submit("p", Workflow.builder("wf").task("a", t -> t.instructions("x")).build())
            .completion().get(30, TimeUnit.SECONDS);
        finished.get(30, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(followed.get(0)).isInstanceOf(RunSubmittedEvent.class);
        assertThat(followed).containsExactlyElementsOf(memory.events("p", done.run().id()));
        assertThat(feed.position()).isEqualTo(memory.lastEventSequence());
      }
    }
  }

  /** Any mix of appends, failing reads and time passing: the listener gets every event once, in order. */
  @Property(tries = 200)
  void everyEventOnceInOrderWhateverFails(@ForAll("steps") List<Integer> steps) {
    MutableClock c = MutableClock.create();
    ManualScheduler s = new ManualScheduler(c);
    InMemoryStore m = InMemoryStore.create();
    FlakyStore f = new FlakyStore(m);
    List<Event> appended = new ArrayList<>();
    List<Event> got = new ArrayList<>();
    try (EventFeed feed = EventFeed.builder(f.store()).scheduler(s).from(0).batchSize(3).start(got::add)) {
      int n = 0;
      for (int step : steps) {
        if (step < 0) {
          f.failNext(-step);
        } else if (step == 0) {
          s.advance(Duration.ofMillis(150));
        } else {
          for (int i = 0; i < step; i++) {
            m.append(event(n));
            appended.add(event(n++));
          }
        }
        assertThat(got).isEqualTo(appended.subList(0, got.size()));
      }
      f.failNext(0);
      s.advance(EventFeed.DEFAULT_MAX_BACKOFF.plusSeconds(1));
      assertThat(got).containsExactlyElementsOf(appended);
      assertThat(feed.position()).isEqualTo(appended.size());
    }
  }

  @Provide
  Arbitrary<List<Integer>> steps() {
    return Arbitraries.integers().between(-3, 5).list().ofMaxSize(40);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static Store storeWithoutStream() {
    InMemoryStore m = InMemoryStore.create();
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          if (method.getName().equals("eventsAfter") || method.getName().equals("lastEventSequence")) {
            throw new UnsupportedOperationException("no stream here");
          }
          try {
            return method.invoke(m, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** A store whose stream reads fail while told to, and that may answer from another place than asked. */
  static final class FlakyStore {
    final Store delegate;
    final AtomicInteger toFail = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    volatile UnaryOperator<Long> answer = after -> after;

    FlakyStore(Store delegate) {
      this.delegate = delegate;
    }

    void failNext(int n) {
      toFail.set(n);
    }

    Store store() {
      return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
          (proxy, method, args) -> {
            boolean stream = method.getName().equals("eventsAfter") || method.getName().equals("lastEventSequence");
            if (stream && toFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              failures.incrementAndGet();
              throw new OrchestratorException("store down");
            }
            if (method.getName().equals("eventsAfter")) {
              reads.incrementAndGet();
              return delegate.eventsAfter(answer.apply((Long) args[0]), (Integer) args[1]);
            }
            try {
              return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
  }
}
