package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.Severity;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.NotifierContract;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Push through an ntfy-style topic, against a local HTTP stub standing in for a self-hosted server. */
class NtfyNotifierTest extends NotifierContract {
  static final String TOKEN = "tk_canaryNtfyAccessToken42";
  private final LocalHttpServer server;
  private final MutableClock clock = MutableClock.create();
  private final PluginContext context = PluginContext.of(clock, new ManualScheduler(clock), k -> null);

  NtfyNotifierTest() throws Exception {
    server = new LocalHttpServer(r -> r.path().contains("/broken")
        ? LocalHttpServer.Response.of(500, "{\"error\": \"oops\"}") : LocalHttpServer.Response.of(200, "{}"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Notifier ntfy(String url) {
    return new NtfyNotifierFactory().create(new PluginConfig("push", "ntfy", Map.of("url", url,
        "topic", "orchestrator-7f3a9c", "token", TOKEN)), context);
  }

  @Override
  protected Notifier createNotifier() {
    return ntfy(server.url("/"));
  }

  @Override
  protected List<String> deliveries() {
    return server.bodies();
  }

  @Override
  protected Notifier createFailingNotifier() {
    return ntfy(server.url("/broken"));
  }

  @Override
  protected Notifier createNotifierAt(InetSocketAddress silent) {
    return ntfy("http://127.0.0.1:" + silent.getPort() + "/");
  }

  @Override
  protected String secret() {
    return TOKEN;
  }

  @Override
  protected String factoryType() {
    return "ntfy";
  }

  @Test
  void publishesJsonWithOneButtonPerOneTapLink() throws Exception {
    Notifier n = createNotifier();
    n.send(Notification.builder().project("blog").event("input_requested").severity(Severity.WARNING)
        .subject("Approval needed").body("Approve the output of task 'notes'?")
        .link(URI.create("https://dash.example.com/projects/blog"))
        .action("approve", URI.create("https://dash.example.com/link?a=approve&s=x"))
        .action("reject", URI.create("https://dash.example.com/link?a=reject&s=y"))
        .at(Instant.parse("2026-01-01T00:00:00Z")).build()).get(10, TimeUnit.SECONDS);
    LocalHttpServer.Request r = server.requests().get(0);
    JsonNode json = new ObjectMapper().readTree(r.body());
    assertThat(json.get("topic").asText()).isEqualTo("orchestrator-7f3a9c");
    assertThat(json.get("title").asText()).isEqualTo("Approval needed");
    assertThat(json.get("priority").asInt()).isEqualTo(4);
    assertThat(json.get("click").asText()).isEqualTo("https://dash.example.com/projects/blog");
    assertThat(json.get("actions")).hasSize(2);
    assertThat(json.get("actions").get(0).get("action").asText()).isEqualTo("view");
    assertThat(json.get("actions").get(0).get("label").asText()).isEqualTo("Approve");
    assertThat(json.get("actions").get(1).get("url").asText()).endsWith("a=reject&s=y");
    assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    n.close();
  }

  @Test
  void aTopicMustBeASafeName() {
    assertThatThrownBy(() -> new NtfyNotifierFactory().create(new PluginConfig("push", "ntfy",
        Map.of("topic", "a/b")), context)).hasMessageContaining("property 'topic' must be 1 to 64 letters");
  }
}
