package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications from the command line: a command that ran a workflow has sent its notifications when it returns,
 * and {@code orchestrator notifications} lists the ones given up on, with why.
 */
class NotificationsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path temp;

  private CliHarness cli;
  private HttpStub webhook;
  private HttpStub gone;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(temp.resolve("data"));
    webhook = new HttpStub(200);
    gone = new HttpStub(404);
    ObjectNode config = (ObjectNode) JSON.readTree(CliHarness.CONFIG);
    config.set("notifications", JSON.readTree("""
        {
          "webhook": "%s",
          "slack_webhook": "%s",
          "digest_window": "0s",
          "channels": {"webhook": {"secret": "a-secret-of-32-characters-000000"}},
          "rules": [
            {"event": "task_failed", "notify": ["webhook"]},
            {"event": "run_completed", "notify": ["slack"]}
          ]
        }
        """.formatted(webhook.url("/hooks/cli"), gone.url("/services/T/B/deleted"))));
    Files.writeString(temp.resolve("data").resolve("config.json"), config.toPrettyString());
  }

  @AfterEach
  void tearDown() {
    cli.close();
    webhook.close();
    gone.close();
  }

  @Test
  void aRunHasSentItsNotificationsWhenTheCommandReturnsAndFailuresAreListed() throws Exception {
    Path f = temp.resolve("broken.json");
    Files.writeString(f, """
        { "name": "Broken", "tasks": [ {"id": "fail", "title": "Fail", "assigned_to": "broken", "instructions": "x"} ] }
        """);
    CliHarness.Result run = cli.run("run", f.toString());
    assertThat(run.code()).as(run.toString()).isEqualTo(1);

    assertThat(webhook.requests()).hasSize(1);
    HttpStub.Request sent = webhook.requests().get(0);
    assertThat(sent.idempotencyKey()).matches("\\d+-task_failed-webhook");
    assertThat(JSON.readTree(sent.body()).get("idempotency_key").asText()).isEqualTo(sent.idempotencyKey());
    assertThat(gone.requests()).as("tried once: a 404 is final").hasSize(1);

    CliHarness.Result failed = cli.run("notifications");
    assertThat(failed.code()).as(failed.toString()).isZero();
    assertThat(failed.out()).contains("CHANNEL", "slack", "run_completed", "HTTP 404", "does not exist")
        .doesNotContain("/services/T/B/deleted");

    JsonNode delivered = JSON.readTree(cli.run("notifications", "--delivered", "--json").out());
    assertThat(delivered).hasSize(1);
    assertThat(delivered.get(0).get("channel").asText()).isEqualTo("webhook");
    assertThat(delivered.get(0).get("key").asText()).isEqualTo(sent.idempotencyKey());
    assertThat(cli.run("notifications", "--pending").out()).contains("No pending notification in project default");
    assertThat(cli.run("notifications", "--pending", "--delivered").code()).isEqualTo(2);
  }

  @Test
  void aBadWaitIsRefusedWithTheFixBeforeAnythingRuns() {
    CliHarness.Result r = cli.run("--notify-wait", "soon", "run", "blog_post_pipeline", "--param", "topic=x",
        "--param", "seo_keywords=y");
    assertThat(r.code()).as(r.toString()).isEqualTo(4);
    assertThat(r.err()).contains("--notify-wait must be a duration such as 500ms", "'soon'");
    assertThat(cli.run("status").out()).contains("has no runs yet");
  }
}
