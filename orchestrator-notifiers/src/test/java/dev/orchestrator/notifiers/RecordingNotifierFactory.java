package dev.orchestrator.notifiers;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Notifiers of type {@code recording} that keep what they are sent, by channel name. Property {@code fail}:
 * {@code never} (default), {@code always} (retryable), {@code final} (not retryable), {@code hang} (the send never
 * completes), or a number: the first N sends fail retryably.
 */
final class RecordingNotifierFactory implements dev.orchestrator.spi.notifier.NotifierFactory {
  record Sent(Notification notification, Instant at) {}

  final Map<String, RecordingNotifier> byName = new ConcurrentHashMap<>();

  @Override
  public String type() {
    return "recording";
  }

  @Override
  public Notifier create(PluginConfig config, PluginContext context) {
    RecordingNotifier n = new RecordingNotifier(config, context.clock());
    byName.put(config.name(), n);
    return n;
  }

  List<Notification> sent(String channel) {
    RecordingNotifier n = byName.get(channel);
    List<Notification> out = new ArrayList<>();
    if (n != null) {
      n.sent.forEach(s -> out.add(s.notification()));
    }
    return out;
  }

  List<Sent> sentWithTimes(String channel) {
    RecordingNotifier n = byName.get(channel);
    return n == null ? List.of() : List.copyOf(n.sent);
  }

  static final class RecordingNotifier implements Notifier {
    final PluginConfig config;
    final Clock clock;
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    /** Sends that never complete (property {@code fail: hang}), until a test completes them. */
    final List<CompletableFuture<Void>> hanging = new CopyOnWriteArrayList<>();

    RecordingNotifier(PluginConfig config, Clock clock) {
      this.config = config;
      this.clock = clock;
    }

    @Override
    public String name() {
      return config.name();
    }

    @Override
    public String type() {
      return "recording";
    }

    @Override
    public CompletableFuture<Void> send(Notification n) {
      int attempt = attempts.incrementAndGet();
      String fail = config.get("fail", "never");
      if (fail.equals("hang")) {
        CompletableFuture<Void> never = new CompletableFuture<>();
        hanging.add(never);
        return never;
      }
      boolean fails = fail.equals("always") || fail.equals("final")
          || (fail.matches("\\d+") && attempt <= Integer.parseInt(fail));
      if (fails) {
        return CompletableFuture.failedFuture(new NotifierException(name(), "injected failure",
            !fail.equals("final"), null, null));
      }
      sent.add(new Sent(n, clock.instant()));
      return CompletableFuture.completedFuture(null);
    }
  }
}
