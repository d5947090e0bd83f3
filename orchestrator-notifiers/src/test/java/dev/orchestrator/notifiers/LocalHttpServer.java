package dev.orchestrator.notifiers;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A JDK HTTP server on 127.0.0.1 that records every request and answers as told. */
final class LocalHttpServer implements AutoCloseable {
  record Request(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  record Response(int status, String body, Map<String, String> headers) {
    static Response of(int status, String body) {
      return new Response(status, body, Map.of());
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "local-http-server");
    t.setDaemon(true);
    return t;
  });
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Response> responder;

  LocalHttpServer(Function<Request, Response> responder) throws IOException {
    this.responder = responder;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      byte[] in;
      try (InputStream is = exchange.getRequestBody()) {
        in = is.readAllBytes();
      }
      Request req = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          Map.copyOf(exchange.getRequestHeaders()), new String(in, StandardCharsets.UTF_8));
      requests.add(req);
      Response r = this.responder.apply(req);
      r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
      exchange.close();
    });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<String> bodies() {
    return requests.stream().map(Request::body).toList();
  }

  void respond(Function<Request, Response> responder) {
    this.responder = responder;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
