package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierException;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.NotifierContract;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlackNotifierTest extends NotifierContract {
  static final String TOKEN = "T00000000/B00000000/XXXXcanarySlackTokenXXXX";
  private final LocalHttpServer server;
  private final MutableClock clock = MutableClock.create();
  private final PluginContext context = PluginContext.of(clock, new ManualScheduler(clock), k -> null);

  SlackNotifierTest() throws Exception {
    server = new LocalHttpServer(r -> r.path().contains("/broken/") ? LocalHttpServer.Response.of(404, "no_service")
        : LocalHttpServer.Response.of(200, "ok"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Notifier slack(String url) {
    return new SlackNotifierFactory().create(new PluginConfig("slack", "slack", Map.of("webhook_url", url,
        "timeout", "2s")), context);
  }

  @Override
  protected Notifier createNotifier() {
    return slack(server.url("/services/" + TOKEN));
  }

  @Override
  protected List<String> deliveries() {
    return server.bodies();
  }

  @Override
  protected Notifier createFailingNotifier() {
    return slack(server.url("/broken/" + TOKEN));
  }

  @Override
  protected Notifier createNotifierAt(InetSocketAddress silent) {
    return slack("http://127.0.0.1:" + silent.getPort() + "/services/" + TOKEN);
  }

  @Override
  protected String secret() {
    return TOKEN;
  }

  @Override
  protected String factoryType() {
    return "slack";
  }

  @Test
  void postsMrkdwnTextWithTheSubjectInBoldAndTheLink() throws Exception {
    Notifier n = createNotifier();
    Notification note = Notification.builder().project("blog").event("task_failed").subject("Task <draft> failed")
        .body("a & b").link(java.net.URI.create("http://127.0.0.1:7070/projects/blog/runs/r1"))
        .at(Instant.parse("2026-01-01T00:00:00Z")).build();
    n.send(note).get(10, TimeUnit.SECONDS);
    LocalHttpServer.Request r = server.requests().get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/services/" + TOKEN);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    JsonNode json = new ObjectMapper().readTree(r.body());
    assertThat(json.fieldNames()).toIterable().containsExactly("text");
    assertThat(json.get("text").asText())
        .isEqualTo(":white_check_mark: *Task &lt;draft&gt; failed*\na &amp; b\n<http://127.0.0.1:7070/projects/blog/runs/r1|Open>");
    n.close();
  }

  @Test
  void aRateLimitIsRetryableAndCarriesRetryAfter() throws Exception {
    server.respond(r -> new LocalHttpServer.Response(429, "rate_limited", Map.of("Retry-After", "30")));
    Notifier n = createNotifier();
    try {
      n.send(Notification.builder().project("p").event("task_failed").subject("s").body("b").at(clock.instant())
          .build()).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      NotifierException ne = (NotifierException) e.getCause();
      assertThat(ne.retryable()).isTrue();
      assertThat(ne.retryAfter()).isEqualTo(Duration.ofSeconds(30));
      assertThat(ne.getMessage()).contains("http://127.0.0.1:").contains("429").doesNotContain(TOKEN);
      return;
    } finally {
      n.close();
    }
    throw new AssertionError("expected a failure");
  }
}
