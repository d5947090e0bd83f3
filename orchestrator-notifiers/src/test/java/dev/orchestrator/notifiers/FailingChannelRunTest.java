package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real engine run with the listener attached while every channel fails: one endpoint answers 500, the other
 * never answers at all. The run completes at the engine's pace, the listener's callback stays fast, and the
 * failures are reported afterwards.
 */
class FailingChannelRunTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler notificationTime = new ManualScheduler(clock);
  private final LocalHttpServer broken;
  private final SilentServer silent;

  FailingChannelRunTest() throws Exception {
    broken = new LocalHttpServer(r -> LocalHttpServer.Response.of(500, "down"));
    silent = new SilentServer();
  }

  @AfterEach
  void stop() throws Exception {
    broken.close();
    silent.close();
  }

  @Test
  void aChannelThatAlwaysFailsDoesNotDelayTheRun() throws Exception {
    List<DeliveryFailedEvent> failures = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> reported = new CompletableFuture<>();
    String config = """
        {"notifications": {
          "slack_webhook": "%s",
          "webhook": "http://127.0.0.1:%d/hooks/never-answers",
          "channels": {"webhook": {"secret": "a-secret-of-32-characters-000000", "timeout": "30s"}},
          "digest_window": "0s",
          "rules": [{"event": "*", "notify": ["slack", "webhook"]}]
        }}
        """.formatted(broken.url("/services/T/B/token"), silent.port());
    // Default executor: the listener's own thread. Retries wait on virtual time, so they pile up until advanced.
    NotificationListener notifications = NotificationListener.builder().config(NotificationConfig.parse(config))
        .clock(clock).scheduler(notificationTime).onDeliveryFailed(f -> {
          failures.add(f);
          if (f.channel().equals("slack")) {
            reported.complete(null);
          }
        }).build();
    AtomicLong slowest = new AtomicLong();
    EventSubscriber timed = e -> {
      long start = System.nanoTime();
      notifications.onEvent(e);
      slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
    };

    Workflow.Builder w = Workflow.builder("wide");
    for (int i = 0; i < 40; i++) {
      w.task("t" + i, t -> t.instructions("work").provider("p"));
    }
    FakeProvider provider = FakeProvider.builder("p").otherwise(req -> Reply.text("done")).build();
    provider.failNext(2, ErrorKind.AUTH); // two tasks fail for good (three would open the circuit)

    try (Orchestrator orchestrator = Orchestrator.builder().provider(provider).listener(timed).build()) {
      Run run = orchestrator.submit("demo", w.build(), Map.of());
      RunSnapshot done = run.completion().get(10, TimeUnit.SECONDS);
      assertThat(done.status()).isEqualTo(RunStatus.FAILED);
    }
    assertThat(Duration.ofNanos(slowest.get())).as("the slowest onEvent call").isLessThan(Duration.ofMillis(100));
    assertThat(failures).as("nothing was given up on while the run ran: retries wait").isEmpty();

    // Now let the retries run: every delivery to the broken channel fails, and is reported.
    for (int i = 0; i < 600 && !reported.isDone(); i++) {
      notificationTime.advance(Duration.ofSeconds(30));
      try {
        reported.get(20, TimeUnit.MILLISECONDS);
      } catch (TimeoutException notYet) {
        // the HTTP exchanges of this round are still in flight
      }
    }
    assertThat(reported).isDone();
    assertThat(failures).filteredOn(f -> f.channel().equals("slack")).first()
        .satisfies(f -> assertThat(f.attempts()).isEqualTo(4))
        .satisfies(f -> assertThat(f.reason()).contains("HTTP 500").doesNotContain("token"));
    assertThat(notifications.stats().delivered()).isZero();
    notifications.close();
  }
}
