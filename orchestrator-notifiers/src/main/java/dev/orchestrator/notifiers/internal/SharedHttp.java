package dev.orchestrator.notifiers.internal;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * One JDK {@link HttpClient} for every HTTP channel: each client owns a selector thread, so sharing keeps the
 * thread count flat however many projects and channels are configured. Closing a notifier leaves it open.
 */
final class SharedHttp {
  private SharedHttp() {}

  private static final class Holder {
    static final HttpClient CLIENT = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  static HttpClient client() {
    return Holder.CLIENT;
  }
}
