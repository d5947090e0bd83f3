package dev.orchestrator.spi;

import dev.orchestrator.Scheduler;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the engine gives a plugin when creating it: time, delays and the environment. Thread-safe.
 *
 * @param clock the engine's clock: read wall time from it, never from {@code System}
 * @param scheduler the engine's scheduler: send every delay through it
 * @param environment reads environment variables (API keys); tests pass a map's {@code get}
 */
public record PluginContext(Clock clock, Scheduler scheduler, Function<String, @Nullable String> environment) {
  public PluginContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(environment, "environment");
  }

  /** The value of an environment variable, or null. */
  public @Nullable String env(String name) {
    return environment.apply(name);
  }
}
