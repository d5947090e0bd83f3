package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.Severity;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.NotifierContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Web Push to a local stub push service; what it received is decrypted as the subscribed browser would (the
 * browser's keys are RFC 8291's test keys).
 */
class WebPushNotifierTest extends NotifierContract {
  private final MutableClock clock = MutableClock.create();
  private final PluginContext context = PluginContext.of(clock, new ManualScheduler(clock), k -> null);
  private final HttpServer server;
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();

  WebPushNotifierTest() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] in;
      try (InputStream is = exchange.getRequestBody()) {
        in = is.readAllBytes();
      }
      boolean broken = exchange.getRequestURI().getPath().contains("/broken");
      if (!broken) {
        bodies.add(in);
        Map<String, String> h = new HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        headers.add(h);
      }
      exchange.sendResponseHeaders(broken ? 500 : 201, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private Notifier push(String endpoint) {
    Map<String, String> p = new HashMap<>();
    p.put("endpoint", endpoint);
    p.put("p256dh", WebPushCryptoTest.UA_PUBLIC);
    p.put("auth", WebPushCryptoTest.AUTH);
    p.put("vapid_public_key", WebPushCryptoTest.AS_PUBLIC);
    p.put("vapid_private_key", WebPushCryptoTest.AS_PRIVATE);
    p.put("subject", "mailto:ops@example.com");
    return new WebPushNotifierFactory().create(new PluginConfig("browser", "webpush", p), context);
  }

  @Override
  protected Notifier createNotifier() {
    return push(url("/push/sub-1"));
  }

  @Override
  protected List<String> deliveries() {
    List<String> out = new ArrayList<>();
    for (byte[] b : bodies) {
      try {
        out.add(WebPushCryptoTest.decrypt(b, WebPushCryptoTest.b64(WebPushCryptoTest.UA_PRIVATE),
            WebPushCryptoTest.b64(WebPushCryptoTest.UA_PUBLIC), WebPushCryptoTest.b64(WebPushCryptoTest.AUTH)));
      } catch (Exception e) {
        throw new UncheckedIOException(new IOException("a body the browser cannot decrypt", e));
      }
    }
    return out;
  }

  @Override
  protected Notifier createFailingNotifier() {
    return push(url("/broken/sub-1"));
  }

  @Override
  protected Notifier createNotifierAt(InetSocketAddress silent) {
    return push("http://127.0.0.1:" + silent.getPort() + "/push/sub-1");
  }

  @Override
  protected String secret() {
    return WebPushCryptoTest.AS_PRIVATE;
  }

  @Override
  protected String factoryType() {
    return "webpush";
  }

  @Test
  void sendsAnEncryptedPayloadWithVapidAndTheOneTapLinks() throws Exception {
    Notifier n = createNotifier();
    n.send(Notification.builder().project("blog").event("input_requested").severity(Severity.CRITICAL)
        .subject("Approval needed").body("Approve the output of task 'notes'?")
        .action("approve", URI.create("https://dash.example.com/link?a=approve&s=x"))
        .at(Instant.parse("2026-01-01T00:00:00Z")).build()).get(10, TimeUnit.SECONDS);
    Map<String, String> h = headers.get(0);
    assertThat(h.get("content-encoding")).isEqualTo("aes128gcm");
    assertThat(h.get("urgency")).isEqualTo("high");
    assertThat(h.get("ttl")).isEqualTo("86400");
    assertThat(h.get("authorization")).startsWith("vapid t=").endsWith(", k=" + WebPushCryptoTest.AS_PUBLIC);
    assertThat(new String(bodies.get(0), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Approval");
    JsonNode payload = new ObjectMapper().readTree(deliveries().get(0));
    assertThat(payload.get("title").asText()).isEqualTo("Approval needed");
    assertThat(payload.get("actions").get("approve").asText()).endsWith("a=approve&s=x");
    n.close();
  }

  @Test
  void badKeysAreRefusedNamingTheProperty() {
    Map<String, String> p = new HashMap<>(Map.of("endpoint", url("/p"), "p256dh", "AAAA", "auth",
        WebPushCryptoTest.AUTH, "vapid_public_key", WebPushCryptoTest.AS_PUBLIC, "vapid_private_key",
        WebPushCryptoTest.AS_PRIVATE, "subject", "mailto:ops@example.com"));
    assertThatThrownBy(() -> new WebPushNotifierFactory().create(new PluginConfig("b", "webpush", p), context))
        .hasMessageContaining("'p256dh' and 'auth'");
    p.put("p256dh", WebPushCryptoTest.UA_PUBLIC);
    p.put("subject", "ops");
    assertThatThrownBy(() -> new WebPushNotifierFactory().create(new PluginConfig("b", "webpush", p), context))
        .hasMessageContaining("property 'subject' must be a mailto: or https: contact");
  }
}
