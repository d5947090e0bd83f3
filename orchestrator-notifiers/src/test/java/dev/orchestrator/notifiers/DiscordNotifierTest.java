package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

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

class DiscordNotifierTest extends NotifierContract {
  static final String TOKEN = "123456789/canaryDiscordTokenAbCdEf";
  private final LocalHttpServer server;
  private final MutableClock clock = MutableClock.create();
  private final PluginContext context = PluginContext.of(clock, new ManualScheduler(clock), k -> null);

  DiscordNotifierTest() throws Exception {
    server = new LocalHttpServer(r -> r.path().contains("/broken/")
        ? LocalHttpServer.Response.of(500, "{\"message\": \"oops\"}") : LocalHttpServer.Response.of(204, ""));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Notifier discord(String url) {
    return new DiscordNotifierFactory().create(new PluginConfig("discord", "discord", Map.of("webhook_url", url)),
        context);
  }

  @Override
  protected Notifier createNotifier() {
    return discord(server.url("/api/webhooks/" + TOKEN));
  }

  @Override
  protected List<String> deliveries() {
    return server.bodies();
  }

  @Override
  protected Notifier createFailingNotifier() {
    return discord(server.url("/broken/" + TOKEN));
  }

  @Override
  protected Notifier createNotifierAt(InetSocketAddress silent) {
    return discord("http://127.0.0.1:" + silent.getPort() + "/api/webhooks/" + TOKEN);
  }

  @Override
  protected String secret() {
    return TOKEN;
  }

  @Override
  protected String factoryType() {
    return "discord";
  }

  @Test
  void postsOneEmbedWithoutMentions() throws Exception {
    Notifier n = createNotifier();
    n.send(Notification.builder().project("blog").event("task_failed").severity(Severity.CRITICAL)
        .subject("x".repeat(300)).body("@everyone look").link(URI.create("https://dash.example.com/projects/blog"))
        .at(Instant.parse("2026-01-01T00:00:00Z")).build()).get(10, TimeUnit.SECONDS);
    JsonNode json = new ObjectMapper().readTree(server.requests().get(0).body());
    assertThat(json.get("username").asText()).isEqualTo("Orchestrator");
    assertThat(json.get("allowed_mentions").get("parse")).isEmpty();
    JsonNode embed = json.get("embeds").get(0);
    assertThat(embed.get("title").asText()).hasSize(256).endsWith("…");
    assertThat(embed.get("description").asText()).isEqualTo("@everyone look");
    assertThat(embed.get("url").asText()).isEqualTo("https://dash.example.com/projects/blog");
    assertThat(embed.get("color").asInt()).isEqualTo(0xD93F0B);
    assertThat(embed.get("timestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
    n.close();
  }
}
