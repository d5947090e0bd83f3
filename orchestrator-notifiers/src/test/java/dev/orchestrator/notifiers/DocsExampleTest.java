package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The complete configuration in docs/notifications.md parses and builds, so the guide cannot rot. */
class DocsExampleTest {
  @Test
  void theCompleteExampleIsValid() throws Exception {
    Path doc = Path.of("..", "docs", "notifications.md");
    String text = Files.readString(doc);
    int start = text.indexOf("```json", text.indexOf("## A complete configuration")) + "```json".length();
    String json = text.substring(start, text.indexOf("```", start));
    NotificationConfig config = NotificationConfig.parse(json);
    assertThat(config.projects()).containsExactlyInAnyOrder("quantum-self", "berlin-report");
    Map<String, String> env = Map.of(
        "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/x",
        "DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/1/x",
        "SMTP_PASSWORD", "pw",
        "TWILIO_AUTH_TOKEN", "token",
        "ORCHESTRATOR_WEBHOOK_SECRET", "0123456789abcdef0123456789abcdef");
    try (NotificationListener l = NotificationListener.builder().config(config).environment(env::get).build()) {
      assertThat(l.stats().sent()).isZero();
    }
  }
}
