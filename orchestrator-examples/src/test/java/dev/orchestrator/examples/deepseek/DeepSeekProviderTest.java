package dev.orchestrator.examples.deepseek;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.ProviderContract;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DeepSeek example passes the provider contract against a stub of DeepSeek's API. */
class DeepSeekProviderTest extends ProviderContract {
  static final String KEY = "sk-deepseek-test-0123456789";
  // 1,000,000 prompt tokens, 400,000 of them cache hits, and 100,000 output tokens
  static final String REPLY = "{\"id\":\"c-1\",\"model\":\"deepseek-chat\",\"choices\":[{\"index\":0,\"message\":"
      + "{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
      + "1000000,\"completion_tokens\":100000,\"prompt_cache_hit_tokens\":400000,\"prompt_cache_miss_tokens\":600000}}";
  final MutableClock clock = MutableClock.create();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final Map<String, String> seen = new ConcurrentHashMap<>();
  final HttpServer server = stub();
  volatile int status = 200;

  HttpServer stub() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      s.createContext("/", x -> {
        seen.put("path", x.getRequestURI().getPath());
        seen.put("auth", String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
        seen.put("body", new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        byte[] out = (status == 200 ? REPLY : "{\"error\":{\"message\":\"no\"}}").getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, out.length);
        x.getResponseBody().write(out);
        x.close();
      });
      s.start();
      return s;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Override
  protected AiProvider createProvider() {
    return new DeepSeekProviderFactory().create(new PluginConfig("ds", "deepseek", Map.of("baseUrl",
        "http://127.0.0.1:" + server.getAddress().getPort())), PluginContext.of(clock, scheduler,
        Map.of("DEEPSEEK_API_KEY", KEY)::get));
  }

  @Override
  protected @Nullable AiProvider createFailingProvider(ErrorKind kind) {
    Map<ErrorKind, Integer> statuses = Map.of(ErrorKind.RATE_LIMITED, 429, ErrorKind.AUTH, 401,
        ErrorKind.INVALID_REQUEST, 400);
    status = statuses.getOrDefault(kind, 500);
    return statuses.containsKey(kind) ? createProvider() : null;
  }

  @Override
  protected String secret() {
    return KEY;
  }

  @Override
  protected String factoryType() {
    return DeepSeekProviderFactory.TYPE;
  }

  @Test
  void sendsDeepSeeksRequestAndPricesTheReplyWithCacheHits() throws Exception {
    ProviderResponse r = await(createProvider().complete(ProviderRequest.of("Hi"), CallContext.of("p", "r", "t", 1)));
    assertThat(seen).containsEntry("path", "/chat/completions").containsEntry("auth", "Bearer " + KEY);
    assertThat(seen.get("body")).contains("\"model\":\"deepseek-chat\"", "\"max_tokens\":");
    assertThat(r.text()).isEqualTo("Hello");
    // 600,000 x $0.28 + 400,000 x $0.028 (cache hits) + 100,000 x $0.42, per million
    assertThat(r.cost()).isEqualTo(Money.usd("0.2212"));
  }
}
