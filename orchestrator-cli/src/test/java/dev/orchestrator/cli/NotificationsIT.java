package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case that lost notifications, with the real command line: {@code orchestrator run} of a short failing
 * workflow whose events match five rules, over e-mail (a real SMTP server), Slack, Discord, SMS and a signed
 * webhook (local HTTP stubs). Each run is its own process, and when it has exited its five notifications have
 * arrived; ten runs in a row. Runs after {@code package} (it needs the runnable jar); no API key reaches the
 * children.
 */
class NotificationsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LAUNCHER = Path.of("..", "bin", "orchestrator").toAbsolutePath().normalize();

  @TempDir
  Path temp;

  private GreenMail smtp;
  private HttpStub slack;
  private HttpStub discord;
  private HttpStub twilio;
  private HttpStub webhook;

  record Result(int code, String out, String err) {}

  @BeforeEach
  void start() throws IOException {
    smtp = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.SMTP}));
    smtp.start();
    slack = new HttpStub(200);
    discord = new HttpStub(204);
    twilio = new HttpStub(201);
    webhook = new HttpStub(200);
  }

  @AfterEach
  void stop() {
    smtp.stop();
    slack.close();
    discord.close();
    twilio.close();
    webhook.close();
  }

  private Result orchestrator(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString(), "--data-dir", temp.resolve("data").toString(),
        "--config", temp.resolve("config.json").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("OPENAI_API_KEY");
    pb.environment().remove("ANTHROPIC_API_KEY");
    pb.environment().remove("GEMINI_API_KEY");
    pb.environment().remove("ORCHESTRATOR_NOTIFY_WAIT");
    pb.redirectOutput(temp.resolve("out.txt").toFile());
    pb.redirectError(temp.resolve("err.txt").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("orchestrator " + String.join(" ", args)).isTrue();
    return new Result(p.exitValue(), Files.readString(temp.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(temp.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  private void writeConfig() throws IOException {
    ObjectNode config = (ObjectNode) JSON.readTree(CliHarness.CONFIG);
    config.set("notifications", JSON.readTree("""
        {
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
        }
        """.formatted(slack.url("/services/T/B/canary"), discord.url("/api/webhooks/1/canary"),
        webhook.url("/hooks/canary"), smtp.getSmtp().getPort(), twilio.url(""))));
    Files.writeString(temp.resolve("config.json"), config.toPrettyString());
  }

  private List<Integer> received() {
    return List.of(smtp.getReceivedMessages().length, slack.requests().size(), discord.requests().size(),
        twilio.requests().size(), webhook.requests().size());
  }

  @Test
  void eachRunProcessHasSentItsFiveNotificationsWhenItExitsTenTimesInARow() throws Exception {
    assertThat(LAUNCHER).exists().isExecutable();
    writeConfig();
    Path workflow = temp.resolve("short.json");
    Files.writeString(workflow, """
        { "name": "Short", "tasks": [
          {"id": "urgent", "title": "Urgent", "assigned_to": "broken", "priority": "high", "instructions": "x"},
          {"id": "normal", "title": "Normal", "assigned_to": "broken", "priority": "medium", "instructions": "x"},
          {"id": "minor", "title": "Minor", "assigned_to": "claude", "priority": "low", "instructions": "x"},
          {"id": "main", "title": "Main", "assigned_to": "claude", "priority": "high", "instructions": "x"} ] }
        """);
    for (int run = 1; run <= 10; run++) {
      Result r = orchestrator("run", workflow.toString());
      assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
      assertThat(r.out()).contains("FAILED");
      assertThat(received()).as("messages per channel when run " + run + " exited (email, slack, discord, sms,"
          + " webhook)\n" + r.err()).containsOnly(run);
      assertThat(r.err()).doesNotContain("not sent in time");
    }
    List<String> keys = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      keys.add(m.getHeader("X-Orchestrator-Idempotency-Key")[0]);
    }
    for (HttpStub s : List.of(slack, discord, twilio, webhook)) {
      s.requests().forEach(r -> keys.add(r.idempotencyKey()));
    }
    assertThat(keys).hasSize(50).doesNotHaveDuplicates();

    Result listed = orchestrator("notifications", "--delivered", "--limit", "100", "--json");
    assertThat(listed.code()).as(listed.err()).isZero();
    JsonNode rows = JSON.readTree(listed.out());
    assertThat(rows).hasSize(50);
    assertThat(orchestrator("notifications").out()).contains("No failed notification");
  }
}
