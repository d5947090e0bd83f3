package dev.orchestrator.cli.internal;

import dev.orchestrator.Scheduler;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.PluginDiscovery;
import dev.orchestrator.spi.provider.Health;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Probes configured provider instances, all at once, without a billed call ({@link AiProvider#probe()}: an HTTP
 * provider lists the vendor's models), for {@code providers}' HEALTH column. Instances are made from their plugin
 * configuration as the engine makes them, and closed after.
 */
final class HealthChecks {
  /** How long all the probes together may take. */
  static final Duration WAIT = Duration.ofSeconds(12);

  private HealthChecks() {}

  /** Each instance's health, by instance name, in the order given. */
  static Map<String, Health> probe(List<PluginConfig> configs, Function<String, @Nullable String> env) {
    Map<String, ProviderFactory> factories = PluginDiscovery.discover(ProviderFactory.class,
        HealthChecks.class.getClassLoader(), Map.of(), ProviderFactory::type).factories();
    // A probe bounds itself, and no call is made here: nothing may wait on a timer.
    PluginContext context = PluginContext.of(Clock.systemUTC(), Scheduler.none(), env);
    Map<String, CompletableFuture<Health>> asked = new LinkedHashMap<>();
    List<AiProvider> made = new ArrayList<>();
    for (PluginConfig pc : configs) {
      ProviderFactory factory = factories.get(pc.type().toLowerCase(java.util.Locale.ROOT));
      if (factory == null) {
        asked.put(pc.name(), CompletableFuture.completedFuture(Health.unknown("no plugin of type " + pc.type())));
        continue;
      }
      try {
        AiProvider p = factory.create(pc, context);
        made.add(p);
        asked.put(pc.name(), p.probe());
      } catch (RuntimeException e) {
        asked.put(pc.name(), CompletableFuture.completedFuture(Health.down(null, String.valueOf(e.getMessage()))));
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    Map<String, Health> out = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, CompletableFuture<Health>> e : asked.entrySet()) {
        out.put(e.getKey(), await(e.getValue(), deadline));
      }
    } finally {
      for (AiProvider p : made) {
        p.close();
      }
    }
    return out;
  }

  private static Health await(CompletableFuture<Health> probe, long deadline) {
    try {
      return probe.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      probe.cancel(true);
      return Health.down(null, "no answer within " + WAIT.toSeconds() + " s");
    } catch (ExecutionException e) {
      return Health.down(null, String.valueOf(e.getCause().getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.unknown("interrupted");
    }
  }
}
