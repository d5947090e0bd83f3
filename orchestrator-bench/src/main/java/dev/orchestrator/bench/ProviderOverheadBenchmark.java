package dev.orchestrator.bench;

import com.sun.net.httpserver.HttpServer;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.workflow.Workflow;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the engine and a provider add to one call: a one-task workflow submitted to an engine whose {@code openai}
 * provider points at a local stub server, to its completion, beside a raw JDK {@link HttpClient} call to the same
 * stub with the same body, in the same run. The stub answers every request at once with a fixed Chat Completions
 * reply. Sample-time mode, so JMH reports the median (p0.50) of each.
 *
 * <pre>java -jar orchestrator-bench/target/benchmarks.jar ProviderOverheadBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProviderOverheadBenchmark {
  private static final byte[] REPLY = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
      + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}")
      .getBytes(StandardCharsets.UTF_8);
  private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
      + "\"Say ok.\"}],\"max_tokens\":16}";

  private HttpServer server;
  private HttpClient client;
  private HttpRequest request;
  private Orchestrator orchestrator;
  private Workflow workflow;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    // Without TCP_NODELAY the stub's small writes meet the client's delayed ACK: every call would take ~40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/v1/chat/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, REPLY.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(REPLY);
      }
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    request = HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer bench-key")
        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    this.base = base;
    workflow = Workflow.builder("one").task("a", t -> t.instructions("Say ok.")).build();
  }

  private String base;

  /** A fresh engine per iteration, because the in-memory store keeps every run. */
  @Setup(Level.Iteration)
  public void newEngine() {
    orchestrator = Orchestrator.builder()
        .store(InMemoryStore.withEventCapacity(1024))
        .provider(new PluginConfig("chatgpt", "openai", Map.of("baseUrl", base, "apiKey", "bench-key",
            "maxOutputTokens", "16")))
        .build();
  }

  @TearDown(Level.Iteration)
  public void closeEngine() {
    orchestrator.close();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.stop(0);
  }

  /** The baseline: one raw call to the stub. */
  @Benchmark
  public Object rawHttpClient() {
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).join().body();
  }

  /** The same call as a one-task workflow through the engine and the openai provider. */
  @Benchmark
  public Object engineAndProvider() {
    return orchestrator.submit("bench", workflow).completion().join();
  }
}
