package dev.orchestrator.providers.http;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.Health;
import dev.orchestrator.spi.provider.ProviderException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An HTTP provider's health probe: one free request (the vendor's model list) and what its answer says. The server
 * answering at all is {@link Health.Status#UP} (a 404 from a local server without a model list still answers),
 * except when the answer says calls will fail: a refused key (401, 403) or a server error (5xx). A request that
 * never got an answer is {@link Health.Status#DOWN} with the classified reason (refused, DNS, TLS, time-out), the
 * address named and any key redacted.
 */
public final class HealthProbe {
  /** How long a probe may take: it asks for a list, not a completion. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private HealthProbe() {}

  /** Sends a probe request; never fails: a failure is a down {@link Health} with a redacted reason. */
  public static CompletableFuture<Health> send(HttpClient client, HttpRequest request, String provider, Redactor redactor) {
    long started = System.nanoTime();
    String what = "GET " + request.uri().getPath();
    return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      if (failure != null) {
        ProviderException e = HttpErrors.fromThrowable(provider, failure, redactor, request.uri(), TokenUsage.NONE,
            Money.ZERO);
        String said = String.valueOf(e.getMessage());
        String prefix = provider + " " + e.kind() + ": ";
        return Health.down(null, said.startsWith(prefix) ? said.substring(prefix.length()) : said);
      }
      int status = response.statusCode();
      if (status == 401 || status == 403) {
        return Health.down(took, what + " answered " + status + ": the key was refused; check the instance's key");
      }
      if (status >= 500) {
        return Health.down(took, what + " answered " + status + ": the server is failing");
      }
      return Health.up(took, what + " answered " + status);
    });
  }

  /** A GET of {@code request}'s address, bounded by {@link #TIMEOUT}. */
  public static HttpRequest.Builder get(java.net.URI uri) {
    return HttpRequest.newBuilder(uri).GET().timeout(TIMEOUT).header("Accept", "application/json")
        .header("User-Agent", HttpProvider.USER_AGENT);
  }
}
