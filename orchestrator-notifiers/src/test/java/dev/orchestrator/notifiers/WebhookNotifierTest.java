package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.Priority;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.Severity;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.NotifierContract;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest extends NotifierContract {
  static final String SECRET = "canary-hmac-secret-0123456789abcdef";
  static final String PATH_TOKEN = "/hooks/canaryPathToken42";
  private final LocalHttpServer server;
  private final MutableClock clock = MutableClock.create();
  private final PluginContext context = PluginContext.of(clock, new ManualScheduler(clock), k -> null);

  WebhookNotifierTest() throws Exception {
    server = new LocalHttpServer(r -> r.path().startsWith("/down")
        ? LocalHttpServer.Response.of(503, "maintenance") : LocalHttpServer.Response.of(200, "{}"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Notifier webhook(String url) {
    return new WebhookNotifierFactory().create(new PluginConfig("webhook", "webhook", Map.of("webhook_url", url,
        "secret", SECRET)), context);
  }

  @Override
  protected Notifier createNotifier() {
    return webhook(server.url(PATH_TOKEN));
  }

  @Override
  protected List<String> deliveries() {
    return server.bodies();
  }

  @Override
  protected Notifier createFailingNotifier() {
    return webhook(server.url("/down" + PATH_TOKEN));
  }

  @Override
  protected Notifier createNotifierAt(InetSocketAddress silent) {
    return webhook("http://127.0.0.1:" + silent.getPort() + PATH_TOKEN);
  }

  @Override
  protected String secret() {
    return SECRET;
  }

  @Override
  protected String factoryType() {
    return "webhook";
  }

  @Test
  void postsTheDocumentedPayloadSignedWithHmacSha256() throws Exception {
    Notifier n = createNotifier();
    Notification note = Notification.builder().project("blog").event("task_failed").priority(Priority.HIGH)
        .severity(Severity.CRITICAL).subject("[blog] 12 tasks failed").body("12 tasks failed in project blog.")
        .locale(Locale.GERMAN).at(Instant.parse("2026-01-01T00:05:00Z")).count(12).id("tasks", "a,b").build();
    n.send(note).get(10, TimeUnit.SECONDS);
    LocalHttpServer.Request r = server.requests().get(0);
    JsonNode json = new ObjectMapper().readTree(r.body());
    assertThat(json.fieldNames()).toIterable().containsExactly("id", "project", "event", "priority", "severity",
        "subject", "body", "link", "locale", "at", "count", "ids", "idempotency_key");
    assertThat(json.get("idempotency_key").isNull()).as("none given").isTrue();
    assertThat(r.header("Idempotency-Key")).isNull();
    assertThat(json.get("project").asText()).isEqualTo("blog");
    assertThat(json.get("event").asText()).isEqualTo("task_failed");
    assertThat(json.get("priority").asText()).isEqualTo("high");
    assertThat(json.get("severity").asText()).isEqualTo("critical");
    assertThat(json.get("locale").asText()).isEqualTo("de");
    assertThat(json.get("count").asInt()).isEqualTo(12);
    assertThat(json.get("link").isNull()).isTrue();
    assertThat(json.get("ids").get("tasks").asText()).isEqualTo("a,b");
    assertThat(r.header("X-Orchestrator-Event")).isEqualTo("task_failed");
    assertThat(r.header("X-Orchestrator-Delivery")).isEqualTo(json.get("id").asText());

    String ts = r.header("X-Orchestrator-Timestamp");
    assertThat(ts).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal((ts + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
    assertThat(r.header("X-Orchestrator-Signature")).isEqualTo(expected);
    assertThat(WebhookSignature.verify(SECRET, ts, r.header("X-Orchestrator-Signature"), r.body(), clock.instant(),
        Duration.ofMinutes(5))).isTrue();
    assertThat(WebhookSignature.verify(SECRET, ts, r.header("X-Orchestrator-Signature"), r.body() + " ",
        clock.instant(), Duration.ofMinutes(5))).as("a changed body").isFalse();
    assertThat(WebhookSignature.verify("another-secret-0123456789", ts, r.header("X-Orchestrator-Signature"),
        r.body(), clock.instant(), Duration.ofMinutes(5))).as("another secret").isFalse();
    assertThat(WebhookSignature.verify(SECRET, ts, r.header("X-Orchestrator-Signature"), r.body(),
        clock.instant().plus(Duration.ofMinutes(6)), Duration.ofMinutes(5))).as("a replay").isFalse();
    n.close();
  }

  @Test
  void theIdempotencyKeyIsSentAsAHeaderAndInsideTheSignedPayloadOnEverySend() throws Exception {
    Notifier n = createNotifier();
    Notification note = Notification.builder().project("blog").event("run_completed").subject("[blog] Run done")
        .body("Run r1 finished.").at(Instant.parse("2026-01-01T00:05:00Z")).idempotencyKey("42-run_completed-webhook")
        .build();
    n.send(note).get(10, TimeUnit.SECONDS);
    n.send(note).get(10, TimeUnit.SECONDS); // a retry, or a second process after a crash
    assertThat(server.requests()).hasSize(2).allSatisfy(r -> {
      assertThat(r.header("Idempotency-Key")).isEqualTo("42-run_completed-webhook");
      try {
        assertThat(new ObjectMapper().readTree(r.body()).get("idempotency_key").asText())
            .isEqualTo("42-run_completed-webhook");
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
      assertThat(WebhookSignature.verify(SECRET, r.header("X-Orchestrator-Timestamp"),
          r.header("X-Orchestrator-Signature"), r.body(), clock.instant(), Duration.ofMinutes(5))).isTrue();
      assertThat(WebhookSignature.verify(SECRET, r.header("X-Orchestrator-Timestamp"),
          r.header("X-Orchestrator-Signature"), r.body().replace("42-run_completed", "43-run_completed"),
          clock.instant(), Duration.ofMinutes(5))).as("a forged key").isFalse();
    });
    assertThat(server.requests().get(0).header("X-Orchestrator-Delivery"))
        .isEqualTo(server.requests().get(1).header("X-Orchestrator-Delivery"));
    n.close();
  }

  @Test
  void aShortSecretIsRejectedWithoutQuotingIt() {
    assertThatThrownBy(() -> new WebhookNotifierFactory().create(new PluginConfig("webhook", "webhook",
        Map.of("webhook_url", server.url(PATH_TOKEN), "secret", "tiny-secret")), context))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16")
        .hasMessageNotContaining("tiny-secret");
  }

  @Test
  void plainHttpIsRefusedExceptToLoopback() {
    assertThatThrownBy(() -> webhook("http://hooks.example.com" + PATH_TOKEN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https")
        .hasMessageNotContaining("canaryPathToken42");
  }
}
