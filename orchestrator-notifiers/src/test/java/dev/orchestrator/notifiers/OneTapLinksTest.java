package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.event.InputRequestedEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.notifiers.internal.NotificationCodec;
import dev.orchestrator.notifiers.internal.OneTapActions;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Questions' notifications carry signed one-tap links when the listener is given {@link ActionLinks}. */
class OneTapLinksTest {
  static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test".getBytes(StandardCharsets.UTF_8);
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final RecordingNotifierFactory recording = new RecordingNotifierFactory();
  private final ActionLinks links = ActionLinks.of(SECRET, URI.create("https://orch.example.com/"),
      Duration.ofHours(24), clock);
  private NotificationListener listener;

  @AfterEach
  void close() {
    listener.close();
  }

  private NotificationListener listener() {
    listener = NotificationListener.builder().config(NotificationConfig.parse("""
        {"notifications": {"channels": {"phone": {"type": "recording"}},
          "rules": [{"event": "input_requested", "notify": ["phone"]}]}}
        """)).clock(clock).scheduler(scheduler).executor(Runnable::run).notifierFactory(recording)
        .actionLinks(links).build();
    return listener;
  }

  private InputRequestedEvent asked(String questionId) {
    return new InputRequestedEvent("blog", "run-1", "deploy", clock.instant(), TaskState.BLOCKED, questionId,
        "Approve task 'deploy' to run?");
  }

  private void send(InputRequestedEvent e) {
    listener().onEvent(e);
    scheduler.runDue();
  }

  @Test
  void anApprovalCarriesApproveAndRejectLinksThatVerify() {
    send(asked("approval-1"));
    Notification n = recording.sent("phone").get(0);
    assertThat(n.actions()).containsOnlyKeys("approve", "reject");
    ActionLinks.Verified v = links.verify(n.actions().get("approve").getRawQuery());
    assertThat(v.project()).isEqualTo("blog");
    assertThat(v.questionId()).isEqualTo("approval-1");
    assertThat(v.action()).isEqualTo(ActionLinks.Action.APPROVE);
    assertThat(n.actions().get("approve").toString()).startsWith("https://orch.example.com/link?");
    assertThat(n.toString()).doesNotContain("&s=");
  }

  @Test
  void aQuestionCarriesAnAnswerLink() {
    send(asked("q-1"));
    assertThat(recording.sent("phone").get(0).actions()).containsOnlyKeys("answer");
  }

  @Test
  void actionsSurviveTheOutboxCodec() {
    send(asked("approval-2"));
    Notification n = recording.sent("phone").get(0);
    assertThat(NotificationCodec.read(NotificationCodec.write(n))).isEqualTo(n);
  }

  @Test
  void slackGetsInteractiveButtonsCarryingTheSignedQuery() {
    send(asked("approval-3"));
    Notification n = recording.sent("phone").get(0);
    ObjectNode payload = new ObjectMapper().createObjectNode();
    OneTapActions.slackBlocks(payload, "text", n);
    JsonNode buttons = payload.path("blocks").get(1).path("elements");
    assertThat(buttons.get(0).path("action_id").asText()).isEqualTo("orchestrator_approve");
    assertThat(links.verify(buttons.get(0).path("value").asText()).action()).isEqualTo(ActionLinks.Action.APPROVE);
    assertThat(buttons.get(1).path("style").asText()).isEqualTo("danger");
    assertThat(payload.path("blocks").get(0).path("text").path("text").asText()).contains("|Approve>");
  }
}
