package dev.orchestrator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A browser-like API client: keeps the session cookie and sends the CSRF token on POST. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();

  final URI base;
  final HttpClient client;
  private @Nullable String bearer;
  private String csrf = "";

  Http(URI base) {
    this.base = base;
    this.client = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  Http bearer(String token) {
    this.bearer = token;
    return this;
  }

  /** Reads the session (cookie and CSRF token). */
  JsonNode session() {
    HttpResponse<String> r = get("api/session");
    if (r.statusCode() != 200) {
      throw new AssertionError("GET /api/session answered " + r.statusCode() + ": " + r.body());
    }
    JsonNode s = json(r);
    csrf = s.get("csrf").asText();
    return s;
  }

  HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  JsonNode getJson(String path) {
    HttpResponse<String> r = get(path);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return json(r);
  }

  HttpResponse<String> post(String path, String body) {
    return send(request(path).header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> postWithout(String path, String body) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return b;
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }
}
