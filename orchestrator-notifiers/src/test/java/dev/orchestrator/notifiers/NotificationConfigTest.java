package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class NotificationConfigTest {
  @Test
  void theRoadmapExampleParsesAsWritten() {
    NotificationConfig c = NotificationConfig.parse("""
        {
          "notifications": {
            "email": "user@example.com",
            "slack_webhook": "https://hooks.slack.com/...",
            "rules": [
              {"event": "task_failed", "priority": "high", "notify": ["email", "slack"]},
              {"event": "budget_exceeded", "notify": ["email", "sms"]},
              {"event": "task_completed", "priority": "low", "notify": []}
            ]
          }
        }
        """.replace("\"email\", \"sms\"", "\"email\"")); // sms needs its account: see the next test
    assertThat(c.hasDefaults()).isTrue();
    assertThat(c.locale("anything")).isEqualTo(Locale.ENGLISH);
  }

  @Test
  void everyProblemIsListedWithItsPathAndTheFix() {
    assertThatThrownBy(() -> NotificationConfig.parse("""
        {
          "notifications": {
            "email": "user@example.com",
            "slak_webhook": "https://hooks.slack.com/x",
            "locale": "it",
            "digest_window": "five minutes",
            "rules": [
              {"event": "task_explodes", "notify": ["email"]},
              {"event": "budget_exceeded", "notify": ["email", "sms"]},
              {"event": "task_failed", "priority": "urgent", "notify": ["email"]},
              {"event": "task_failed"}
            ]
          }
        }
        """)).isInstanceOf(InvalidNotificationConfigException.class)
        .satisfies(e -> assertThat(((InvalidNotificationConfigException) e).problems()).containsExactlyInAnyOrder(
            "notifications.slak_webhook is not a known field: use one of [channels, dashboard_url, digest_window,"
                + " discord_webhook, email, locale, rules, slack_webhook, sms, webhook]",
            "notifications.locale 'it' has no messages: use one of [en, es, fr, de]",
            "notifications.digest_window must be a duration such as 500ms, 30s, 10m, 1h30m or 2d (units ms, s, m, h,"
                + " d) or ISO-8601 such as PT30S (was 'five minutes')",
            "notifications.rules[0].event 'task_explodes' is unknown: use one of task_failed, task_completed,"
                + " run_completed, budget_threshold, budget_exceeded, circuit_opened, input_requested,"
                + " schedule_misfired, provider_demoted, or \"*\"",
            "notifications.rules[1].notify[1] names channel 'sms', which is not configured: configure it"
                + " (\"sms\": \"+15551234567\" plus channels.sms with the account) or use one of [email]",
            "notifications.rules[2].priority: priority must be one of high, medium, low (was 'urgent')",
            "notifications.rules[3].notify is required: a list of channel names such as [\"email\", \"slack\"],"
                + " or [] to stay silent"));
  }

  @Test
  void aProjectOverridesTheDefaultsKeyByKeyAndChannelsPropertyByProperty() {
    NotificationConfig c = NotificationConfig.parse("""
        {
          "notifications": {"email": "team@example.com", "locale": "en",
            "channels": {"email": {"host": "smtp.example.com", "from": "bot@example.com"}},
            "rules": [{"event": "*", "notify": ["email"]}]},
          "projects": {"Quantum-Self": {"notifications": {"locale": "es",
            "channels": {"email": {"to": "ana@example.com"}}}}}
        }
        """);
    assertThat(c.projects()).containsExactly("quantum-self");
    assertThat(c.locale("quantum-self").getLanguage()).isEqualTo("es");
    assertThat(c.locale("other")).isEqualTo(Locale.ENGLISH);
    assertThat(c.settings("quantum-self").orElseThrow().channels().get("email").properties())
        .containsEntry("host", "smtp.example.com").containsEntry("to", "ana@example.com");
  }

  @Test
  void durationsTakeCompoundFormsAndDays() {
    NotificationConfig c = NotificationConfig.parse("""
        {"notifications": {"digest_window": "1h30m",
          "channels": {"ops": {"type": "webhook", "webhook_url": "https://example.com/hook",
            "rate_limit": {"messages": 5, "per": "2d"}}},
          "rules": [{"event": "*", "notify": ["ops"]}]},
         "projects": {"p": {"notifications": {"digest_window": "P1D"}}}}
        """);
    assertThat(c.settings("other").orElseThrow().digestWindow()).isEqualTo(java.time.Duration.ofMinutes(90));
    assertThat(c.settings("p").orElseThrow().digestWindow()).isEqualTo(java.time.Duration.ofDays(1));
    assertThat(c.settings("other").orElseThrow().channels().get("ops").rateLimit().per())
        .isEqualTo(java.time.Duration.ofDays(2));
    assertThatThrownBy(() -> NotificationConfig.parse("""
        {"notifications": {"digest_window": "-5m", "rules": []}}
        """)).hasMessageContaining("notifications.digest_window must not be negative");
  }

  @Test
  void anUnsetEnvironmentVariableIsNamedAtBuild() {
    NotificationConfig c = NotificationConfig.parse("""
        {"notifications": {"slack_webhook": "${SLACK_URL}", "rules": [{"event": "*", "notify": ["slack"]}]}}
        """);
    assertThatThrownBy(() -> NotificationListener.builder().config(c).environment(k -> null).build())
        .isInstanceOf(InvalidNotificationConfigException.class)
        .hasMessageContaining("notifications.channels.slack.webhook_url refers to ${SLACK_URL}, which is not set");
  }

  @Test
  void anUnknownChannelTypeNamesTheKnownOnes() {
    NotificationConfig c = NotificationConfig.parse("""
        {"notifications": {"channels": {"pager": {"type": "pagerduty"}}, "rules": [{"event": "*", "notify": ["pager"]}]}}
        """);
    assertThatThrownBy(() -> NotificationListener.builder().config(c).build())
        .hasMessageContaining("no notifier plugin has the type 'pagerduty': use one of [discord, email, ntfy, slack,"
            + " twilio, webhook, webpush]");
  }
}
