package dev.orchestrator.spi;

import dev.orchestrator.Scheduler;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the engine gives a plugin when creating it: time, delays, the environment and where to report the processes
 * it starts. Thread-safe.
 *
 * @param clock the engine's clock: read wall time from it, never from {@code System}
 * @param scheduler the engine's scheduler: send every delay through it
 * @param environment reads environment variables (API keys); tests pass a map's {@code get}
 * @param processes where a provider reports the processes it starts for calls ({@link ChildProcesses#NONE} when
 *     created outside an engine)
 *
 * @since 0.1
 */
public record PluginContext(Clock clock, Scheduler scheduler, Function<String, @Nullable String> environment,
    ChildProcesses processes) {
  public PluginContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(processes, "processes");
  }

  /** A context whose processes are recorded nowhere ({@link ChildProcesses#NONE}). */
  public PluginContext(Clock clock, Scheduler scheduler, Function<String, @Nullable String> environment) {
    this(clock, scheduler, environment, ChildProcesses.NONE);
  }

  /** The value of an environment variable, or null. */
  public @Nullable String env(String name) {
    return environment.apply(name);
  }
}
