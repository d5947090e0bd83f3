package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Priority;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.store.Outbox;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The case that lost notifications: a short failing run with five rules over e-mail (a real SMTP server), Slack,
 * Discord, SMS and a signed webhook (local HTTP stubs), in a "process" (an engine and a listener on the shared store)
 * that closes as soon as the run is over. Real time, real threads, the listener's defaults.
 */
class ProcessExitTest {
  private GreenMail smtp;
  private LocalHttpServer slack;
  private LocalHttpServer discord;
  private LocalHttpServer twilio;
  private LocalHttpServer webhook;
  private final Store store = InMemoryStore.create();

  @BeforeEach
  void start() throws Exception {
    smtp = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.SMTP}));
    smtp.start();
    slack = new LocalHttpServer(r -> LocalHttpServer.Response.of(200, "ok"));
    discord = new LocalHttpServer(r -> LocalHttpServer.Response.of(204, ""));
    twilio = new LocalHttpServer(r -> LocalHttpServer.Response.of(201, "{\"sid\": \"SM1\"}"));
    webhook = new LocalHttpServer(r -> LocalHttpServer.Response.of(200, "{}"));
  }

  @AfterEach
  void stop() {
    smtp.stop();
    slack.close();
    discord.close();
    twilio.close();
    webhook.close();
    store.close();
  }

  private String config() {
    return """
        {"notifications": {
          "email": "ops@example.com",
          "slack_webhook": "%s",
          "discord_webhook": "%s",
          "sms": "+15557654321",
          "webhook": "%s",
          "digest_window": "0s",
          "channels": {
            "email": {"host": "127.0.0.1", "port": %d, "security": "none", "from": "bot@example.com"},
            "sms": {"account_sid": "AC0123", "auth_token": "canary-sms-token-0123", "from": "+15550001111",
                    "endpoint": "%s"},
            "webhook": {"secret": "a-secret-of-32-characters-000000"}
          },
          "rules": [
            {"event": "task_failed", "priority": "high", "notify": ["email"]},
            {"event": "task_failed", "notify": ["slack"]},
            {"event": "task_completed", "priority": "low", "notify": ["discord"]},
            {"event": "task_completed", "notify": ["webhook"]},
            {"event": "run_completed", "notify": ["sms"]}
          ]
        }}
        """.formatted(slack.url("/services/T/B/canary"), discord.url("/api/webhooks/1/canary"),
        webhook.url("/hooks/canary"), smtp.getSmtp().getPort(), twilio.url(""));
  }

  /** Two tasks fail (one high, one medium), two succeed (one low, one high): five notifications, one per channel. */
  private static Workflow shortFailingRun() {
    return Workflow.builder("short")
        .task("urgent", t -> t.instructions("x").provider("bad").priority(Priority.HIGH))
        .task("normal", t -> t.instructions("x").provider("bad").priority(Priority.MEDIUM))
        .task("minor", t -> t.instructions("x").provider("good").priority(Priority.LOW))
        .task("main", t -> t.instructions("x").provider("good").priority(Priority.HIGH))
        .build();
  }

  /** One process: runs the workflow and closes its engine and its notifications as soon as the run is over. */
  private void runProcess(NotificationListener.Builder notifications) throws Exception {
    NotificationListener listener = notifications.build();
    FakeProvider bad = FakeProvider.builder("bad").otherwise(r -> Reply.failure(ErrorKind.AUTH)).build();
    FakeProvider good = FakeProvider.echo("good");
    // The processes share the store, and with it the circuit of 'bad': its failures would open it for all of them.
    try (Orchestrator engine = Orchestrator.builder().store(store)
        .provider(bad, dev.orchestrator.core.ProviderOptions.builder().circuitBreaker(CircuitBreakerPolicy.disabled())
            .build())
        .provider(good).listener(listener).build()) {
      RunSnapshot done = engine.submit("demo", shortFailingRun(), Map.of()).completion().get(30, TimeUnit.SECONDS);
      assertThat(done.status()).isEqualTo(RunStatus.FAILED);
    } finally {
      listener.close();
    }
  }

  private NotificationListener.Builder listener() {
    return NotificationListener.builder().config(NotificationConfig.parse(config())).store(store);
  }

  private List<Integer> received() {
    return List.of(smtp.getReceivedMessages().length, slack.requests().size(), discord.requests().size(),
        twilio.requests().size(), webhook.requests().size());
  }

  @Test
  void aProcessThatExitsRightAfterItsRunHasSentAllFiveNotificationsTenTimesInARow() throws Exception {
    for (int run = 1; run <= 10; run++) {
      runProcess(listener());
      assertThat(received()).as("messages per channel after run " + run + " (email, slack, discord, sms, webhook)")
          .containsOnly(run);
    }
    List<String> keys = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      keys.add(m.getHeader("X-Orchestrator-Idempotency-Key")[0]);
    }
    for (LocalHttpServer s : List.of(slack, discord, twilio, webhook)) {
      s.requests().forEach(r -> keys.add(r.header("Idempotency-Key")));
    }
    assertThat(keys).hasSize(50).doesNotHaveDuplicates().allMatch(k -> k.matches("\\d+-[a-z_]+-[a-z]+(-\\+\\d+)?"));
    assertThat(store.outbox().list(NotificationListener.RELAY, Outbox.Status.DELIVERED, 100)).hasSize(50);
  }

  @Test
  void whatAProcessThatWaitedForNothingLeftIsSentByTheNext() throws Exception {
    for (int run = 1; run <= 10; run++) {
      runProcess(listener().exitWait(Duration.ZERO));
    }
    // Whatever each process managed to send before it was gone, a later process sends the rest. A send cut off
    // by the exit may have reached its receiver and is sent again: at least once, with the same key.
    NotificationListener next = listener().build();
    try {
      awaitUntil(() -> distinctKeys().equals(List.of(10, 10, 10, 10, 10)), Duration.ofSeconds(20));
    } finally {
      next.close();
    }
    assertThat(distinctKeys()).containsOnly(10);
    assertThat(store.outbox().list(NotificationListener.RELAY, Outbox.Status.PENDING, 100)).isEmpty();
    assertThat(store.outbox().list(NotificationListener.RELAY, Outbox.Status.DELIVERED, 100)).hasSize(50);
  }

  /** Per channel, how many different notifications arrived (a repeated send has the same key). */
  private List<Integer> distinctKeys() {
    List<Integer> out = new ArrayList<>();
    java.util.Set<String> mail = new java.util.HashSet<>();
    try {
      for (MimeMessage m : smtp.getReceivedMessages()) {
        mail.add(m.getHeader("X-Orchestrator-Idempotency-Key")[0]);
      }
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
    out.add(mail.size());
    for (LocalHttpServer s : List.of(slack, discord, twilio, webhook)) {
      out.add((int) s.requests().stream().map(r -> r.header("Idempotency-Key")).distinct().count());
    }
    return out;
  }

  private static void awaitUntil(Supplier<Boolean> condition, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    Object lock = new Object();
    while (!condition.get() && System.nanoTime() < deadline) {
      synchronized (lock) {
        lock.wait(20);
      }
    }
  }
}
