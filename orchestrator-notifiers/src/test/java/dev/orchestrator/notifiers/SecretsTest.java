package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A canary secret in every secret-bearing property never reaches logs, events or exceptions. */
class SecretsTest {
  static final String CANARY = "CANARY-7c1e-SECRET";

  @Test
  void theCanaryNeverAppearsInLogsEventsOrExceptions() throws Exception {
    MutableClock clock = MutableClock.create();
    ManualScheduler scheduler = new ManualScheduler(clock);
    List<DeliveryFailedEvent> failures = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> allReported = new CompletableFuture<>();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    try (LocalHttpServer broken = new LocalHttpServer(r -> LocalHttpServer.Response.of(500,
        "echoing your path back: " + r.path()))) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      String config = """
          {"notifications": {
            "slack_webhook": "%s",
            "discord_webhook": "%s",
            "webhook": "${HOOK_URL}",
            "email": "ops@example.com",
            "sms": "+15551234567",
            "channels": {
              "webhook": {"secret": "${HOOK_SECRET}"},
              "email": {"host": "127.0.0.1", "port": 1, "security": "none", "username": "bot",
                        "password": "${SMTP_PASSWORD}", "from": "bot@example.com", "timeout": "2s"},
              "sms": {"endpoint": "%s", "account_sid": "AC123", "auth_token": "%s", "from": "+15550000000"}
            },
            "digest_window": "0s",
            "rules": [{"event": "task_failed", "notify": ["slack", "discord", "webhook", "email", "sms"]}]
          }}
          """.formatted(broken.url("/services/" + CANARY), broken.url("/api/webhooks/" + CANARY),
          broken.url(""), CANARY);
      Map<String, String> env = Map.of("HOOK_URL", broken.url("/hooks/" + CANARY), "HOOK_SECRET",
          CANARY + "-long-enough", "SMTP_PASSWORD", CANARY);
      NotificationListener l = NotificationListener.builder().config(NotificationConfig.parse(config)).clock(clock)
          .scheduler(scheduler).executor(Runnable::run).environment(env::get).maxAttempts(2)
          .onDeliveryFailed(f -> {
            failures.add(f);
            if (failures.size() == 5) {
              allReported.complete(null);
            }
          }).build();
      l.onEvent(new TaskFailedEvent("p", "run-1", "t", clock.instant(), TaskState.RUNNING, "claude",
          ErrorKind.SERVER, "boom"));
      for (int i = 0; i < 500 && !allReported.isDone(); i++) {
        scheduler.advance(Duration.ofSeconds(5));
        try {
          allReported.get(20, TimeUnit.MILLISECONDS);
        } catch (TimeoutException notYet) {
          // exchanges still in flight
        }
      }
      assertThat(allReported).isDone();
      String logs = captured.toString(StandardCharsets.UTF_8);
      assertThat(logs).contains("Notification not delivered").doesNotContain(CANARY);
      assertThat(failures).hasSize(5).allSatisfy(f -> assertThat(f.toString()).doesNotContain(CANARY));
      assertThat(l.toString()).doesNotContain(CANARY);
      assertThat(NotificationConfig.parse(config).toString()).doesNotContain(CANARY);
      l.close();
    } finally {
      System.setErr(original);
    }
  }

  @Test
  void configurationErrorsNeverQuoteASecret() {
    assertThatThrownBy(() -> NotificationConfig.parse("""
        {"notifications": {"slack_webhook": 42, "channels": {"slack": {"webhook_url": {"nested": "%s"}}},
          "rules": [{"event": "task_failed", "notify": ["slack"]}]}}
        """.formatted(CANARY))).isInstanceOf(InvalidNotificationConfigException.class)
        .hasMessageNotContaining(CANARY);
    NotificationConfig bad = NotificationConfig.parse("""
        {"notifications": {"slack_webhook": "ftp://hooks.example.com/%s",
          "rules": [{"event": "task_failed", "notify": ["slack"]}]}}
        """.formatted(CANARY));
    assertThatThrownBy(() -> NotificationListener.builder().config(bad).build())
        .isInstanceOf(InvalidNotificationConfigException.class)
        .hasMessageContaining("notifications.channels.slack: property 'webhook_url' must be an https URL")
        .hasMessageNotContaining(CANARY);
  }
}
