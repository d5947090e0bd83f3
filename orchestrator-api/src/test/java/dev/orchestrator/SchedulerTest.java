package dev.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The ready-made schedulers, on real threads. Each wait has a deadline ({@link #WAIT}) and no check reads a
 * stopwatch: "not yet run" is observed after the single thread has run something due later.
 */
class SchedulerTest {
  private static final long WAIT = 10;

  @Nested
  class Daemon {
    @Test
    void runsTheWorkOnANamedDaemonThread() throws Exception {
      try (Scheduler.Owned s = Scheduler.daemon("test-timer")) {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        s.schedule(() -> ran.complete(Thread.currentThread()), Duration.ofMillis(5));
        Thread t = ran.get(WAIT, TimeUnit.SECONDS);
        assertThat(t.getName()).isEqualTo("test-timer");
        assertThat(t.isDaemon()).isTrue();
        assertThat(s).hasToString("Scheduler.daemon(test-timer)");
      }
    }

    @Test
    void runsWorkInTheOrderItIsDueNotTheOrderItWasScheduled() throws Exception {
      try (Scheduler.Owned s = Scheduler.daemon("test-timer")) {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(4);
        s.schedule(record(order, "later", done), Duration.ofMillis(300));
        s.schedule(record(order, "first", done), Duration.ZERO);
        s.schedule(record(order, "second", done), Duration.ZERO);
        s.schedule(record(order, "negative", done), Duration.ofSeconds(-5));
        assertThat(done.await(WAIT, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("first", "second", "negative", "later");
      }
    }

    @Test
    void workIsNotRunBeforeItsDelay() throws Exception {
      try (Scheduler.Owned s = Scheduler.daemon("test-timer")) {
        AtomicBoolean early = new AtomicBoolean();
        s.schedule(() -> early.set(true), Duration.ofHours(1));
        CompletableFuture<Void> marker = new CompletableFuture<>();
        s.schedule(() -> marker.complete(null), Duration.ofMillis(20));
        marker.get(WAIT, TimeUnit.SECONDS);
        assertThat(early).as("the thread ran what was due after it, not the hour's work").isFalse();
      }
    }

    @Test
    void cancelledWorkLeavesTheQueueAtOnceAndNeverRuns() throws Exception {
      try (Scheduler.Owned s = Scheduler.daemon("test-timer")) {
        AtomicBoolean ran = new AtomicBoolean();
        Scheduler.Cancellable hour = s.schedule(() -> ran.set(true), Duration.ofHours(1));
        Scheduler.Cancellable soon = s.schedule(() -> ran.set(true), Duration.ofMillis(20));
        assertThat(queued(s)).isEqualTo(2);

        hour.cancel();
        soon.cancel();
        soon.cancel(); // idempotent

        assertThat(queued(s)).as("a cancelled timeout holds no memory").isZero();
        CompletableFuture<Void> marker = new CompletableFuture<>();
        s.schedule(() -> marker.complete(null), Duration.ofMillis(40));
        marker.get(WAIT, TimeUnit.SECONDS);
        assertThat(ran).isFalse();
      }
    }

    @Test
    void aDelayTooLongToCountWaitsForEver() {
      try (Scheduler.Owned s = Scheduler.daemon("test-timer")) {
        Scheduler.Cancellable h = s.schedule(() -> { }, Duration.ofSeconds(Long.MAX_VALUE));
        assertThat(queued(s)).isEqualTo(1);
        h.cancel();
        assertThat(queued(s)).isZero();
      }
    }

    @Test
    void closeDropsPendingWorkInterruptsRunningWorkAndLaterWorkDoesNothing() throws Exception {
      Scheduler.Owned s = Scheduler.daemon("test-timer");
      CompletableFuture<Thread> started = new CompletableFuture<>();
      CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
      CountDownLatch never = new CountDownLatch(1);
      s.schedule(() -> {
        started.complete(Thread.currentThread());
        try {
          never.await(WAIT, TimeUnit.SECONDS);
          interrupted.complete(false);
        } catch (InterruptedException e) {
          interrupted.complete(true);
        }
      }, Duration.ZERO);
      Thread thread = started.get(WAIT, TimeUnit.SECONDS);
      AtomicBoolean pendingRan = new AtomicBoolean();
      s.schedule(() -> pendingRan.set(true), Duration.ZERO); // waits behind the running work

      s.close();
      s.close(); // idempotent

      assertThat(interrupted.get(WAIT, TimeUnit.SECONDS)).isTrue();
      thread.join(TimeUnit.SECONDS.toMillis(WAIT));
      assertThat(thread.isAlive()).as("the thread ended").isFalse();
      assertThat(pendingRan).as("work not started when closed is dropped").isFalse();

      AtomicBoolean lateRan = new AtomicBoolean();
      Scheduler.Cancellable late = s.schedule(() -> lateRan.set(true), Duration.ZERO);
      late.cancel();
      assertThat(lateRan).isFalse();
      assertThat(queued(s)).isZero();
    }

    @Test
    void aBlankThreadNameIsRefusedWithTheFix() {
      assertThatThrownBy(() -> Scheduler.daemon(" ")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("threadName must not be blank").hasMessageContaining("orchestrator-timer");
      assertThatThrownBy(() -> Scheduler.daemon(null)).isInstanceOf(NullPointerException.class)
          .hasMessageContaining("threadName");
    }

    @Test
    void nullWorkOrDelayIsRefused() {
      try (Scheduler.Owned s = Scheduler.daemon("test-timer")) {
        assertThatThrownBy(() -> s.schedule(null, Duration.ZERO)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("work");
        assertThatThrownBy(() -> s.schedule(() -> { }, null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("delay");
      }
    }
  }

  @Nested
  class OnAnExecutor {
    @Test
    void runsTheWorkOnTheExecutorAndNeverShutsItDown() throws Exception {
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
      try {
        Scheduler s = Scheduler.of(executor);
        assertThat(s).isNotInstanceOf(AutoCloseable.class);
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        s.schedule(record(order, "later", done), Duration.ofMillis(300));
        s.schedule(record(order, "now", done), Duration.ofSeconds(-1));
        assertThat(done.await(WAIT, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("now", "later");
        assertThat(executor.isShutdown()).isFalse();
      } finally {
        executor.shutdownNow();
      }
    }

    @Test
    void cancelledWorkNeverRunsAndSaturatedDelaysAreAccepted() throws Exception {
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
      try {
        Scheduler s = Scheduler.of(executor);
        AtomicBoolean ran = new AtomicBoolean();
        s.schedule(() -> ran.set(true), Duration.ofMillis(20)).cancel();
        s.schedule(() -> ran.set(true), Duration.ofSeconds(Long.MAX_VALUE)).cancel();
        CompletableFuture<Void> marker = new CompletableFuture<>();
        s.schedule(() -> marker.complete(null), Duration.ofMillis(40));
        marker.get(WAIT, TimeUnit.SECONDS);
        assertThat(ran).isFalse();
      } finally {
        executor.shutdownNow();
      }
    }

    @Test
    void onceTheOwnerShutsTheExecutorDownWorkDoesNothing() {
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
      Scheduler s = Scheduler.of(executor);
      executor.shutdownNow();
      AtomicBoolean ran = new AtomicBoolean();
      Scheduler.Cancellable h = s.schedule(() -> ran.set(true), Duration.ZERO);
      h.cancel();
      assertThat(ran).isFalse();
    }

    @Test
    void aNullExecutorIsRefused() {
      assertThatThrownBy(() -> Scheduler.of(null)).isInstanceOf(NullPointerException.class)
          .hasMessageContaining("executor");
    }
  }

  @Nested
  class None {
    @Test
    void neverRunsTheWorkAndItsHandleDoesNothing() {
      Scheduler s = Scheduler.none();
      AtomicBoolean ran = new AtomicBoolean();
      s.schedule(() -> ran.set(true), Duration.ZERO).cancel();
      s.scheduleUpkeep(() -> ran.set(true), Duration.ofSeconds(-1)).cancel();
      assertThat(ran).isFalse();
      assertThat(Scheduler.none()).isSameAs(s).hasToString("Scheduler.none()");
      assertThatThrownBy(() -> s.schedule(null, Duration.ZERO)).isInstanceOf(NullPointerException.class);
    }
  }

  private static Runnable record(List<String> order, String name, CountDownLatch done) {
    return () -> {
      order.add(name);
      done.countDown();
    };
  }

  private static int queued(Scheduler.Owned s) {
    return ((Schedulers.Daemon) s).queued();
  }
}
