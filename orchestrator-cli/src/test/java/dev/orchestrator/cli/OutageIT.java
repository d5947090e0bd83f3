package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider's outage, recovered from by itself: a local OpenAI-compatible server dies under an 8-task run and comes
 * back 10 seconds later; with the default settings (5 attempts a task, waits from 1 minute, a breaker of 3 failures)
 * every task succeeds within 30 seconds of its return, not after the minutes of backoff and the opening the failures
 * started. Real time: the server is a real HTTP server on a fixed port, stopped and started again.
 */
class OutageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COMPLETION = """
      {"id": "chatcmpl-1", "object": "chat.completion", "model": "llama",
       "choices": [{"index": 0, "message": {"role": "assistant", "content": "done"}, "finish_reason": "stop"}],
       "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}}
      """;

  @TempDir
  Path temp;

  /** The local server: completions take a second; the model list answers at once. */
  private static HttpServer serve(int port, AtomicInteger calls) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    server.setExecutor(Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "outage-it-server");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/v1/models", e -> reply(e, 200, "{\"object\": \"list\", \"data\": []}"));
    server.createContext("/v1/chat/completions", e -> {
      try (InputStream in = e.getRequestBody()) {
        in.readAllBytes();
      }
      calls.incrementAndGet();
      try {
        TimeUnit.SECONDS.sleep(1); // the model at work (this is the server's own thread, not the test's)
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
      reply(e, 200, COMPLETION);
    });
    server.start();
    return server;
  }

  private static void reply(HttpExchange e, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    e.getResponseHeaders().add("Content-Type", "application/json");
    e.sendResponseHeaders(status, bytes.length);
    e.getResponseBody().write(bytes);
    e.close();
  }

  @Test
  void anOutageOfTenSecondsDuringAnEightTaskRunEndsWithEveryTaskSucceededWithinThirtySecondsOfTheServersReturn()
      throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer first = serve(0, calls);
    int port = first.getAddress().getPort();
    AtomicReference<HttpServer> server = new AtomicReference<>(first);
    AtomicReference<Instant> back = new AtomicReference<>();
    CountDownLatch restarted = new CountDownLatch(1);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    try (CliHarness cli = new CliHarness(temp.resolve("data"))) {
      Files.writeString(cli.dataDir.resolve("config.json"), """
          {
            "providers": { "local": { "type": "openai", "baseUrl": "http://127.0.0.1:%d/v1", "model": "llama" } },
            "defaultProvider": "local",
            "timeZone": "UTC"
          }
          """.formatted(port));
      StringBuilder tasks = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        tasks.append(i == 0 ? "" : ",").append("{\"id\": \"t").append(i).append("\", \"title\": \"T").append(i)
            .append("\", \"instructions\": \"step ").append(i).append("\"}");
      }
      Path workflow = Files.writeString(temp.resolve("eight.json"),
          "{ \"name\": \"Eight\", \"tasks\": [" + tasks + "] }");

      // The server dies once the first calls are in flight, and comes back 10 s later on the same port.
      timer.scheduleAtFixedRate(() -> {
        if (calls.get() >= 2 && server.get() == first) {
          first.stop(0);
          server.set(null);
          timer.schedule(() -> {
            try {
              server.set(serve(port, calls));
              back.set(Instant.now());
              restarted.countDown();
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          }, 10, TimeUnit.SECONDS);
        }
      }, 50, 50, TimeUnit.MILLISECONDS);

      CliHarness.Result run = cli.run("run", workflow.toString());
      Instant finished = Instant.now();
      assertThat(restarted.await(0, TimeUnit.SECONDS)).as("the server went down and came back").isTrue();
      assertThat(run.code()).as(run.toString()).isZero();
      String runId = JSON.readTree(cli.run("status", "--json").out()).at("/runs/0/run/id").asText();
      JsonNode status = JSON.readTree(cli.run("status", runId, "--json").out());
      for (JsonNode t : status.get("tasks")) {
        assertThat(t.get("state").asText()).as(t.get("taskId").asText()).isEqualTo("SUCCEEDED");
      }
      assertThat(Duration.between(back.get(), finished)).as("from the server's return to the run's end")
          .isLessThan(Duration.ofSeconds(30));
    } finally {
      timer.shutdownNow();
      HttpServer s = server.get();
      if (s != null) {
        s.stop(0);
      }
    }
  }
}
