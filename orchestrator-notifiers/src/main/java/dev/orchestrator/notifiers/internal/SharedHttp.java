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

  /**
   * Builds the client on a daemon thread of its own, if nobody did yet: building one loads the TLS setup, which
   * takes seconds on a busy machine, and a short command should not spend them when its first notification is due.
   */
  static void warmUp() {
    if (WARMING.compareAndSet(false, true)) {
      Thread t = new Thread(SharedHttp::client, "orchestrator-http-warm-up");
      t.setDaemon(true);
      t.start();
    }
  }

  private static final java.util.concurrent.atomic.AtomicBoolean WARMING =
      new java.util.concurrent.atomic.AtomicBoolean();
}
