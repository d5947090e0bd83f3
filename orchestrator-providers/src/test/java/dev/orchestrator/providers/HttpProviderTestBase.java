package dev.orchestrator.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.Health;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.ProviderContract;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;

/**
 * What the HTTP providers' tests share: a stub server replaying the vendor's shapes, virtual time for time limits,
 * and the contract's hooks. Subclasses supply the vendor's replies.
 */
abstract class HttpProviderTestBase extends ProviderContract {
  static final ObjectMapper JSON = new ObjectMapper();
  static final CallContext CALL = CallContext.of("test", "run-1", "task-1", 1);

  final StubServer server = new StubServer();
  final MutableClock clock = MutableClock.create();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final Map<String, String> env = new HashMap<>();

  HttpProviderTestBase() {
    server.byDefault(success());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** The factory under test. */
  abstract ProviderFactory factory();

  /** The environment variable the key is read from. */
  abstract String keyEnv();

  /** The path of the base URL on the stub server, such as {@code /v1}. */
  abstract String basePath();

  /** A successful whole reply in the vendor's shape. */
  abstract StubServer.Reply success();

  /** The vendor's error reply for a kind, or null. */
  abstract StubServer.@Nullable Reply errorReply(ErrorKind kind);

  /** The path of the vendor's model list, the probe's free request. */
  abstract String modelsPath();

  @org.junit.jupiter.api.Test
  void theHealthProbeAsksForTheFreeModelListWithTheKeyAndTimesIt() {
    server.enqueue(StubServer.json(200, "{\"data\": [], \"models\": []}"));
    Health health = provider().probe().join();
    assertThat(health.status()).isEqualTo(Health.Status.UP);
    assertThat(health.latency()).isNotNull();
    assertThat(health.detail()).contains("GET " + modelsPath(), "200");
    StubServer.Recorded asked = server.lastRequest();
    assertThat(asked.method()).isEqualTo("GET");
    assertThat(asked.path()).isEqualTo(modelsPath());
    assertThat(asked.headers().values()).anySatisfy(v -> assertThat(v).contains(secret()));
  }

  @org.junit.jupiter.api.Test
  void aRefusedKeyOrAFailingServerIsDownAndAnUnreachableOneSaysWhere() {
    server.enqueue(StubServer.json(401, "{\"error\": {\"message\": \"bad key " + secret() + "\"}}"));
    Health refused = provider().probe().join();
    assertThat(refused.status()).isEqualTo(Health.Status.DOWN);
    assertThat(refused.detail()).contains("key was refused").doesNotContain(secret());
    server.enqueue(StubServer.json(503, "{}"));
    assertThat(provider().probe().join().status()).isEqualTo(Health.Status.DOWN);
    server.enqueue(StubServer.json(404, "{}"));
    assertThat(provider().probe().join().status()).as("a server without a model list still answers")
        .isEqualTo(Health.Status.UP);

    StubServer gone = new StubServer();
    String url = gone.url(basePath());
    gone.close();
    Health down = provider("baseUrl", url).probe().join();
    assertThat(down.status()).isEqualTo(Health.Status.DOWN);
    assertThat(down.latency()).isNull();
    assertThat(down.detail()).contains("cannot connect to " + url);
  }

  AiProvider provider(String... props) {
    env.putIfAbsent(keyEnv(), secret());
    Map<String, String> p = new HashMap<>();
    p.put("baseUrl", server.url(basePath()));
    for (int i = 0; i + 1 < props.length; i += 2) {
      p.put(props[i], props[i + 1]);
    }
    return factory().create(new PluginConfig("Test-" + factory().type(), factory().type(), p),
        PluginContext.of(clock, scheduler, env::get));
  }

  @Override
  protected AiProvider createProvider() {
    return provider();
  }

  @Override
  protected @Nullable AiProvider createFailingProvider(ErrorKind kind) {
    StubServer.Reply reply = errorReply(kind);
    if (reply == null) {
      return null;
    }
    server.enqueue(reply);
    return provider();
  }

  @Override
  protected @Nullable AiProvider createHangingProvider() {
    server.enqueue(new StubServer.Hang());
    return provider();
  }

  @Override
  protected String secret() {
    return "test-key-" + getClass().getSimpleName() + "-0123456789";
  }

  @Override
  protected String factoryType() {
    return factory().type();
  }

  static ProviderResponse get(CompletableFuture<ProviderResponse> f) throws Exception {
    return Calls.get(f);
  }

  static ProviderException failure(CompletableFuture<ProviderResponse> f) throws Exception {
    return Calls.failure(f);
  }

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }
}
