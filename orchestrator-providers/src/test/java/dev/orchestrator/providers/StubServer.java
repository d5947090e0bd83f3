package dev.orchestrator.providers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server on 127.0.0.1 (the JDK's own) that records each request and replays scripted replies: whole
 * bodies, server-sent event streams, replies that never come, and streams that stop mid-way and then watch for the
 * client hanging up. Replies are taken in order; when none is queued the default is used.
 */
public final class StubServer implements AutoCloseable {
  /** A recorded request. Header names are lower case. */
  public record Recorded(String method, String path, String query, Map<String, String> headers, String body) {}

  /** A scripted reply. */
  public sealed interface Reply {}

  public record Whole(int status, String body, Map<String, String> headers) implements Reply {}

  public record Events(List<String> chunks) implements Reply {}

  /** Sends no reply until the server closes. */
  public record Hang() implements Reply {}

  /**
   * Sends {@code chunks}, then waits for {@code release}; then writes until the client's hang-up shows as a write
   * failure, completing {@code hungUp} with true (or false when the client kept reading).
   */
  public record StreamThenWatch(List<String> chunks, CountDownLatch sent, CountDownLatch release,
      CompletableFuture<Boolean> hungUp) implements Reply {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Reply defaultReply = new Whole(500, "{\"error\":\"no reply scripted\"}", Map.of());

  public StubServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "stub-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL plus a path, such as {@code url("/v1")}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public void byDefault(Reply reply) {
    defaultReply = reply;
  }

  public void enqueue(Reply... more) {
    replies.addAll(Arrays.asList(more));
  }

  public static Whole json(int status, String body, String... headerPairs) {
    Map<String, String> h = new TreeMap<>();
    for (int i = 0; i + 1 < headerPairs.length; i += 2) {
      h.put(headerPairs[i], headerPairs[i + 1]);
    }
    return new Whole(status, body, h);
  }

  public static Events events(String... chunks) {
    return new Events(List.of(chunks));
  }

  public List<Recorded> requests() {
    return new ArrayList<>(requests);
  }

  public Recorded lastRequest() {
    if (requests.isEmpty()) {
      throw new AssertionError("the server received no request");
    }
    return requests.get(requests.size() - 1);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers = new TreeMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      requests.add(new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(),
          ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery(), headers, body));
      Reply reply = replies.poll();
      if (reply == null) {
        reply = defaultReply;
      }
      if (reply instanceof Whole w) {
        byte[] bytes = w.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        w.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(w.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
          ex.getResponseBody().write(bytes);
        }
      } else if (reply instanceof Events e) {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (String chunk : e.chunks()) {
          out.write(chunk.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } else if (reply instanceof Hang) {
        closing.await(60, TimeUnit.SECONDS);
      } else if (reply instanceof StreamThenWatch s) {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (String chunk : s.chunks()) {
          out.write(chunk.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
        s.sent().countDown();
        s.release().await(30, TimeUnit.SECONDS);
        byte[] ping = ": keep-alive padding to detect the hang-up ...................................\n\n"
            .getBytes(StandardCharsets.UTF_8);
        try {
          for (int i = 0; i < 20_000; i++) {
            out.write(ping);
            out.flush();
          }
          s.hungUp().complete(false);
        } catch (IOException gone) {
          s.hungUp().complete(true);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away; nothing to answer
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
