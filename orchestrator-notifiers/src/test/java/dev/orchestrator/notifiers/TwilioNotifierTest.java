package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.NotifierContract;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TwilioNotifierTest extends NotifierContract {
  static final String SID = "AC0123456789abcdef0123456789abcdef";
  static final String TOKEN = "canaryTwilioAuthToken0123456789";
  private final LocalHttpServer server;
  private final MutableClock clock = MutableClock.create();
  private final PluginContext context = PluginContext.of(clock, new ManualScheduler(clock), k -> null);

  TwilioNotifierTest() throws Exception {
    server = new LocalHttpServer(r -> {
      String expected = "Basic " + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
      return expected.equals(r.header("Authorization"))
          ? LocalHttpServer.Response.of(201, "{\"sid\": \"SM1\", \"status\": \"queued\"}")
          : LocalHttpServer.Response.of(401, "{\"code\": 20003, \"message\": \"Authenticate\"}");
    });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Notifier sms(String endpoint, String token, String to) {
    return new TwilioNotifierFactory().create(new PluginConfig("sms", "twilio", Map.of("endpoint", endpoint,
        "account_sid", SID, "auth_token", token, "from", "+15550001111", "to", to)), context);
  }

  static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  protected Notifier createNotifier() {
    return sms(server.url(""), TOKEN, "+15552223333");
  }

  @Override
  protected List<String> deliveries() {
    return server.requests().stream().filter(r -> r.header("Authorization") != null)
        .map(r -> form(r.body()).get("Body")).toList();
  }

  @Override
  protected Notifier createFailingNotifier() {
    return sms(server.url(""), TOKEN + "-wrong", "+15552223333");
  }

  @Override
  protected Notifier createNotifierAt(InetSocketAddress silent) {
    return sms("http://127.0.0.1:" + silent.getPort(), TOKEN, "+15552223333");
  }

  @Override
  protected String secret() {
    return TOKEN;
  }

  @Override
  protected String factoryType() {
    return "twilio";
  }

  @Test
  void postsTheMessagesApiFormOncePerRecipientWithBasicAuth() throws Exception {
    Notifier n = sms(server.url("/"), TOKEN, "+15552223333, +447700900123");
    n.send(Notification.builder().project("p").event("task_failed").subject("[p] Task draft failed")
        .body("long body not sent by SMS").link(URI.create("http://127.0.0.1:7070/projects/p/runs/r"))
        .at(Instant.parse("2026-01-01T00:00:00Z")).build()).get(10, TimeUnit.SECONDS);
    assertThat(server.requests()).hasSize(2);
    for (LocalHttpServer.Request r : server.requests()) {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/2010-04-01/Accounts/" + SID + "/Messages.json");
      assertThat(r.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
    }
    LocalHttpServer.Request first = server.requests().stream()
        .filter(r -> form(r.body()).get("To").equals("+15552223333")).findFirst().orElseThrow();
    assertThat(form(first.body())).containsExactly(Map.entry("To", "+15552223333"),
        Map.entry("From", "+15550001111"),
        Map.entry("Body", "[p] Task draft failed\nhttp://127.0.0.1:7070/projects/p/runs/r"));
    assertThat(server.requests()).extracting(r -> form(r.body()).get("To"))
        .containsExactlyInAnyOrder("+15552223333", "+447700900123");
    n.close();
  }

  @Test
  void aBadNumberIsRejectedNamingTheFix() {
    assertThatThrownBy(() -> sms(server.url(""), TOKEN, "555-1234"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("E.164").hasMessageNotContaining(TOKEN);
  }
}
