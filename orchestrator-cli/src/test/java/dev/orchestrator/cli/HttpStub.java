package dev.orchestrator.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A JDK HTTP server on 127.0.0.1 that answers every request with one status and records what it received. */
final class HttpStub implements AutoCloseable {
  /** One request: its path, its {@code Idempotency-Key} header (or null) and its body. */
  record Request(String path, String idempotencyKey, String body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "cli-test-http-stub");
    t.setDaemon(true);
    return t;
  });
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  HttpStub(int status) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      byte[] in;
      try (InputStream is = exchange.getRequestBody()) {
        in = is.readAllBytes();
      }
      requests.add(new Request(exchange.getRequestURI().getRawPath(),
          exchange.getRequestHeaders().getFirst("Idempotency-Key"), new String(in, StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
