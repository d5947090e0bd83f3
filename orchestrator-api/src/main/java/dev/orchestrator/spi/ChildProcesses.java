package dev.orchestrator.spi;

import dev.orchestrator.spi.provider.CallContext;

/**
 * Where a provider reports the operating-system processes it starts for a call (a command-line agent), so that they
 * are owned like the call: the engine records each one in the store with its own name, ends them when it takes over
 * the run of an engine that died, and can end its own at exit. A provider that starts no process ignores it.
 * Implementations are thread-safe and never throw: a process that cannot be recorded still runs.
 *
 * <pre>{@code
 * Process p = builder.start();
 * ChildProcesses.Registration r = context.processes().started(call, p.toHandle());
 * p.onExit().whenComplete((x, e) -> r.close());
 * }</pre>
 *
 * @since 0.1
 */
public interface ChildProcesses {
  /** Records nothing: for plugins created outside an engine (tests, tools). */
  ChildProcesses NONE = (call, process) -> () -> { };

  /**
   * Records a process started for {@code call}.
   *
   * @return closed by the provider once the process has ended (idempotent), which forgets it
   */
  Registration started(CallContext call, ProcessHandle process);

  /** A recorded process; closing it says that it has ended. */
  @FunctionalInterface
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
