package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Priority;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.event.TaskReadyEvent;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.store.Outbox;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications through the store's outbox, with "processes" that are listeners on one store: each event is routed
 * once whichever process relays it, what one process leaves (unsent notifications, open digests, rate limits, a claim
 * it died holding) the next one carries on with. Virtual time; the work runs on the test's thread unless a process's
 * background thread is said to be stuck.
 */
class OutboxNotificationsTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryStore store = InMemoryStore.create(clock);
  private final List<DeliveryFailedEvent> failures = new CopyOnWriteArrayList<>();
  private final List<NotificationListener> listeners = new ArrayList<>();

  static final String CHAT = """
      {"notifications": {
        "channels": {"email": {"type": "recording"}, "slack": {"type": "recording"}},
        "digest_window": "0s",
        "rules": [{"event": "task_failed", "priority": "high", "notify": ["email", "slack"]},
                  {"event": "task_failed", "notify": ["slack"]}]
      }}
      """;

  /** A process's notifications: its own notifiers, on the shared store and time. */
  private final class Process {
    final RecordingNotifierFactory recording = new RecordingNotifierFactory();
    final NotificationListener listener;

    Process(String config, Executor executor, Duration exitWait) {
      this(config, executor, exitWait, b -> {});
    }

    Process(String config, Executor executor, Duration exitWait,
        java.util.function.Consumer<NotificationListener.Builder> more) {
      NotificationListener.Builder b = NotificationListener.builder().config(NotificationConfig.parse(config))
          .clock(clock).scheduler(scheduler).executor(executor).notifierFactory(recording).store(store)
          .exitWait(exitWait).onDeliveryFailed(failures::add);
      more.accept(b);
      listener = b.build();
      listeners.add(listener);
    }

    /** What the engine does with an event: store it, then tell the listeners. */
    void emit(Event e) {
      store.append(e);
      listener.onEvent(e);
    }

    List<Notification> sent(String channel) {
      return recording.sent(channel);
    }
  }

  /** A background thread that runs work at once until the process dies, then never again. */
  private static final class Mortal implements Executor {
    final AtomicBoolean dead = new AtomicBoolean();

    @Override
    public void execute(Runnable r) {
      if (!dead.get()) {
        r.run();
      }
    }
  }

  private static final Executor STUCK = r -> {};

  @AfterEach
  void close() {
    listeners.forEach(NotificationListener::close);
  }

  private TaskReadyEvent ready(String task, Priority lane) {
    return new TaskReadyEvent("p", "run-1", task, clock.instant(), TaskState.BLOCKED, lane);
  }

  private TaskFailedEvent failed(String task) {
    return new TaskFailedEvent("p", "run-1", task, clock.instant(), TaskState.RUNNING, "claude", ErrorKind.TIMEOUT,
        "no answer in 2m");
  }

  private List<Outbox.Delivery> stored(Outbox.Status status) {
    return store.outbox().list(NotificationListener.RELAY, status, 1000);
  }

  @Test
  void eachEventIsSentOnceWithAKeyOfItsSequenceRuleAndChannel() {
    Process a = new Process(CHAT, Runnable::run, Duration.ofSeconds(5));
    a.emit(ready("urgent", Priority.HIGH));
    a.emit(failed("urgent"));
    long seq = store.lastEventSequence();

    assertThat(a.sent("email")).extracting(Notification::idempotencyKey).containsExactly(seq + "-task_failed-email");
    assertThat(a.sent("slack")).extracting(Notification::idempotencyKey).containsExactly(seq + "-task_failed-slack");
    assertThat(a.sent("email").get(0).subject()).isEqualTo("[p] Task urgent failed");
    assertThat(stored(Outbox.Status.DELIVERED)).extracting(Outbox.Delivery::key)
        .containsExactlyInAnyOrder(seq + "-task_failed-email", seq + "-task_failed-slack");
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(a.sent("slack")).as("never twice").hasSize(1);
    assertThat(a.listener.stats().delivered()).isEqualTo(2);
    assertThat(a.listener.stats().matched()).isEqualTo(2);
  }

  @Test
  void twoProcessesOnOneStoreSendEveryNotificationOnce() {
    String unlimited = CHAT.replace("\"slack\": {\"type\": \"recording\"}",
        "\"slack\": {\"type\": \"recording\", \"rate_limit\": {\"messages\": 1000, \"per\": \"1m\"}}");
    Process a = new Process(unlimited, Runnable::run, Duration.ofSeconds(5));
    Process b = new Process(unlimited, Runnable::run, Duration.ofSeconds(5));
    for (int i = 0; i < 20; i++) {
      Process producer = i % 2 == 0 ? a : b;
      producer.emit(ready("t" + i, Priority.MEDIUM));
      producer.emit(failed("t" + i));
      if (i % 5 == 0) {
        scheduler.advance(Duration.ofSeconds(1)); // both poll: each relays and delivers what it finds
      }
    }
    scheduler.advance(Duration.ofSeconds(5));
    List<String> keys = new ArrayList<>();
    a.sent("slack").forEach(n -> keys.add(n.idempotencyKey()));
    b.sent("slack").forEach(n -> keys.add(n.idempotencyKey()));
    assertThat(keys).hasSize(20).doesNotHaveDuplicates();
    assertThat(a.sent("email")).isEmpty();
    assertThat(stored(Outbox.Status.DELIVERED)).hasSize(20);
    assertThat(stored(Outbox.Status.PENDING)).isEmpty();
  }

  @Test
  void whatAProcessDidNotSendBeforeItExitedIsSentByTheNext() {
    Process a = new Process(CHAT, STUCK, Duration.ZERO); // its thread never ran, and it did not wait
    a.emit(ready("x", Priority.HIGH));
    a.emit(failed("x"));
    a.listener.close();
    assertThat(a.sent("email")).isEmpty();
    assertThat(a.listener.stats().left()).isEqualTo(1);

    Process b = new Process(CHAT, Runnable::run, Duration.ofSeconds(5));
    assertThat(b.sent("email")).extracting(Notification::subject).containsExactly("[p] Task x failed");
    assertThat(b.sent("slack")).hasSize(1);
  }

  @Test
  void closingWaitsForItsOwnNotificationsAndSendsThemItself() {
    Process a = new Process(CHAT, STUCK, Duration.ofSeconds(5));
    a.emit(ready("x", Priority.HIGH));
    a.emit(failed("x"));
    assertThat(a.sent("email")).as("its background thread is stuck").isEmpty();
    a.listener.close();
    assertThat(a.sent("email")).hasSize(1);
    assertThat(a.sent("slack")).hasSize(1);
    assertThat(a.listener.stats().left()).isZero();
    assertThat(stored(Outbox.Status.DELIVERED)).hasSize(2);
  }

  @Test
  void closingLeavesWhatItCannotSendInTimeAndGivesItsClaimBack() {
    String hanging = CHAT.replace("\"email\": {\"type\": \"recording\"}",
        "\"email\": {\"type\": \"recording\", \"fail\": \"hang\"}");
    Process a = new Process(hanging, STUCK, Duration.ofMillis(300));
    a.emit(ready("x", Priority.HIGH));
    a.emit(failed("x"));
    long start = System.nanoTime();
    a.listener.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(a.listener.stats().left()).isEqualTo(1);
    assertThat(a.sent("slack")).hasSize(1);
    Outbox.Delivery left = stored(Outbox.Status.PENDING).get(0);
    assertThat(left.destination()).isEqualTo("email");
    assertThat(left.leaseUntil()).as("given back").isNull();
    assertThat(left.attempts()).isZero();

    Process b = new Process(CHAT, Runnable::run, Duration.ofSeconds(5));
    assertThat(b.sent("email")).extracting(Notification::idempotencyKey).containsExactly(left.key());
  }

  @Test
  void aProcessThatDiesHoldingAClaimLosesNothing() {
    String hanging = CHAT.replace("\"email\": {\"type\": \"recording\"}",
        "\"email\": {\"type\": \"recording\", \"fail\": \"hang\"}");
    Mortal thread = new Mortal();
    Process a = new Process(hanging, thread, Duration.ofSeconds(5), l -> l.lease(Duration.ofSeconds(30)));
    a.emit(ready("x", Priority.HIGH));
    a.emit(failed("x"));
    assertThat(a.recording.byName.get("email").hanging).as("claimed and sending").hasSize(1);
    thread.dead.set(true); // killed: it never records the send, never closes
    listeners.remove(a.listener);

    Process b = new Process(CHAT, Runnable::run, Duration.ofSeconds(5));
    assertThat(b.sent("email")).as("held by the dead process's lease").isEmpty();
    scheduler.advance(Duration.ofSeconds(31));
    assertThat(b.sent("email")).hasSize(1);
    Outbox.Delivery d = stored(Outbox.Status.DELIVERED).stream().filter(x -> x.destination().equals("email"))
        .findFirst().orElseThrow();
    assertThat(d.attempts()).isEqualTo(2);
    assertThat(b.sent("email").get(0).idempotencyKey()).isEqualTo(d.key());
  }

  @Test
  void aDigestOpenedByAProcessThatExitedIsSentByTheNext() {
    String digests = CHAT.replace("\"digest_window\": \"0s\"", "\"digest_window\": \"5m\"");
    Process a = new Process(digests, Runnable::run, Duration.ofSeconds(5));
    for (int i = 0; i < 10; i++) {
      a.emit(ready("t" + i, Priority.MEDIUM));
      a.emit(failed("t" + i));
      clock.advance(Duration.ofSeconds(10));
    }
    a.listener.close();
    assertThat(a.sent("slack")).extracting(Notification::subject).containsExactly("[p] Task t0 failed");
    assertThat(a.listener.stats().merged()).isEqualTo(9);

    clock.advance(Duration.ofMinutes(5));
    Process b = new Process(digests, Runnable::run, Duration.ofSeconds(5));
    assertThat(b.sent("slack")).hasSize(1);
    Notification digest = b.sent("slack").get(0);
    assertThat(digest.count()).isEqualTo(10);
    assertThat(digest.subject()).isEqualTo("[p] 10 tasks failed");
    assertThat(digest.idempotencyKey()).endsWith("-task_failed-slack-digest");
    scheduler.advance(Duration.ofMinutes(10));
    assertThat(b.sent("slack")).as("one digest per window").hasSize(1);
  }

  @Test
  void aChannelsRateLimitHoldsAcrossProcesses() {
    String limited = CHAT.replace("\"slack\": {\"type\": \"recording\"}",
        "\"slack\": {\"type\": \"recording\", \"rate_limit\": {\"messages\": 3, \"per\": \"1m\"}}");
    Process a = new Process(limited, Runnable::run, Duration.ofSeconds(5));
    for (int i = 0; i < 3; i++) {
      a.emit(failed("a" + i));
    }
    a.listener.close();
    Process b = new Process(limited, Runnable::run, Duration.ofSeconds(5));
    b.emit(failed("b0"));
    b.emit(failed("b1"));
    assertThat(a.sent("slack")).hasSize(3);
    assertThat(b.sent("slack")).as("over the limit a's sends used up").isEmpty();
    assertThat(b.listener.stats().suppressed()).isEqualTo(2);
    clock.advance(Duration.ofMinutes(1));
    b.emit(failed("late"));
    assertThat(b.sent("slack")).hasSize(1);
    assertThat(b.sent("slack").get(0).body())
        .endsWith("2 more notifications were held back by this channel's rate limit.");
  }

  @Test
  void aFailingSendIsRetriedAfterABackOffThroughTheStore() {
    String flaky = CHAT.replace("\"slack\": {\"type\": \"recording\"}",
        "\"slack\": {\"type\": \"recording\", \"fail\": \"2\"}");
    Process a = new Process(flaky, Runnable::run, Duration.ofSeconds(5));
    a.emit(failed("t"));
    assertThat(a.sent("slack")).isEmpty();
    Outbox.Delivery waiting = stored(Outbox.Status.PENDING).get(0);
    assertThat(waiting.lastError()).isEqualTo("notifier 'slack': injected failure");
    assertThat(waiting.dueAt()).isAfterOrEqualTo(clock.instant().plusSeconds(1));
    scheduler.advance(Duration.ofMillis(900));
    assertThat(a.recording.byName.get("slack").attempts).as("not before the back-off").hasValue(1);
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(a.sent("slack")).hasSize(1);
    assertThat(a.recording.byName.get("slack").attempts).hasValue(3);
    assertThat(stored(Outbox.Status.DELIVERED).get(0).attempts()).isEqualTo(3);
    assertThat(failures).isEmpty();
  }

  @Test
  void aChannelThatKeepsFailingIsMarkedFailedWithItsReason() {
    String broken = """
        {"notifications": {
          "channels": {"down": {"type": "recording", "fail": "always"}, "refused": {"type": "recording", "fail": "final"}},
          "rules": [{"event": "task_failed", "notify": ["down", "refused"]}]
        }}
        """;
    Process a = new Process(broken, Runnable::run, Duration.ofSeconds(5), l -> l.maxAttempts(3));
    a.emit(failed("t"));
    assertThat(failures).extracting(DeliveryFailedEvent::channel).containsExactly("refused");
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(failures).extracting(DeliveryFailedEvent::channel).containsExactly("refused", "down");
    assertThat(failures.get(1).attempts()).isEqualTo(3);
    List<Outbox.Delivery> failed = stored(Outbox.Status.FAILED);
    assertThat(failed).extracting(Outbox.Delivery::destination).containsExactlyInAnyOrder("down", "refused");
    assertThat(failed).allSatisfy(d -> assertThat(d.lastError()).isEqualTo("notifier '" + d.destination()
        + "': injected failure"));
    assertThat(a.listener.stats().failed()).isEqualTo(2);
  }

  @Test
  void aTaskQueuedBeforeThisProcessGetsItsPriorityFromTheStore() {
    Process a = new Process(CHAT, Runnable::run, Duration.ZERO); // relays the queued event, then exits
    store.createRun(dev.orchestrator.run.RunRecord.submitted("p", "run-1", "wf",
        java.util.Map.of(), clock.instant()), "{}", List.of(dev.orchestrator.run.TaskRecord.created("p",
        "run-1", "urgent", "Urgent", Priority.HIGH, clock.instant())));
    a.emit(ready("urgent", Priority.HIGH));
    a.listener.close();
    Process b = new Process(CHAT, Runnable::run, Duration.ofSeconds(5));
    b.emit(failed("urgent")); // b's relay did not see the task queued: the store says HIGH
    assertThat(b.sent("email")).hasSize(1);
  }
}
