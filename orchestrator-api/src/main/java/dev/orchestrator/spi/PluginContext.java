package dev.orchestrator.spi;

import dev.orchestrator.Scheduler;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the engine gives a plugin when creating it: time, delays, the environment and where to report the processes
 * it starts. Create one with {@link #of} or {@link #builder()}; the constructor is private, so plugins and their
 * tests keep compiling when the engine gives plugins more. Immutable and thread-safe.
 *
 * <pre>{@code
 * PluginContext context = PluginContext.of(clock, scheduler, Map.of("SHOUT_API_KEY", key)::get);
 * }</pre>
 *
 * @since 0.1
 */
public final class PluginContext {
  private final Clock clock;
  private final Scheduler scheduler;
  private final Function<String, @Nullable String> environment;
  private final ChildProcesses processes;

  private PluginContext(Builder b) {
    if (b.clock == null || b.scheduler == null || b.environment == null) {
      throw new IllegalStateException("a plugin context needs a clock, a scheduler and an environment: call "
          + "clock(...), scheduler(...) and environment(System::getenv) (was clock=" + b.clock + ", scheduler="
          + b.scheduler + ", environment=" + (b.environment == null ? "null" : "set") + ")");
    }
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.environment = b.environment;
    this.processes = b.processes;
  }

  /**
   * A context whose processes are recorded nowhere ({@link ChildProcesses#NONE}), for tests and tools that create
   * plugins themselves.
   */
  public static PluginContext of(Clock clock, Scheduler scheduler, Function<String, @Nullable String> environment) {
    return builder().clock(clock).scheduler(scheduler).environment(environment).build();
  }

  /** Starts a context: clock, scheduler and environment are required; processes are recorded nowhere by default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this context's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The engine's clock: read wall time from it, never from {@code System}. */
  public Clock clock() {
    return clock;
  }

  /** The engine's scheduler: send every delay through it. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** Reads environment variables (API keys); tests pass a map's {@code get}. */
  public Function<String, @Nullable String> environment() {
    return environment;
  }

  /**
   * Where a provider reports the processes it starts for calls ({@link ChildProcesses#NONE} when created outside an
   * engine).
   */
  public ChildProcesses processes() {
    return processes;
  }

  /** The value of an environment variable, or null. */
  public @Nullable String env(String name) {
    return environment.apply(name);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PluginContext c && clock.equals(c.clock) && scheduler.equals(c.scheduler)
        && environment.equals(c.environment) && processes.equals(c.processes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(clock, scheduler, environment, processes);
  }

  @Override
  public String toString() {
    // The environment's values are secrets: never shown.
    return "PluginContext[clock=" + clock + ", scheduler=" + scheduler + ", environment=<function>, processes="
        + processes + "]";
  }

  /**
   * Builds a {@link PluginContext}. Each setter checks its value at once. Mutable and not thread-safe; reusing a
   * builder never changes a context already built.
   */
  public static final class Builder {
    private @Nullable Clock clock;
    private @Nullable Scheduler scheduler;
    private @Nullable Function<String, @Nullable String> environment;
    private ChildProcesses processes = ChildProcesses.NONE;

    private Builder() {}

    private Builder(PluginContext from) {
      this.clock = from.clock;
      this.scheduler = from.scheduler;
      this.environment = from.environment;
      this.processes = from.processes;
    }

    /** The engine's clock. Required. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The engine's scheduler. Required. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Reads environment variables, such as {@code System::getenv}. Required. */
    public Builder environment(Function<String, @Nullable String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Where providers report the processes they start; {@link ChildProcesses#NONE} by default. */
    public Builder processes(ChildProcesses processes) {
      this.processes = Objects.requireNonNull(processes, "processes");
      return this;
    }

    /**
     * Builds the context.
     *
     * @throws IllegalStateException when the clock, scheduler or environment is missing
     */
    public PluginContext build() {
      return new PluginContext(this);
    }
  }
}
