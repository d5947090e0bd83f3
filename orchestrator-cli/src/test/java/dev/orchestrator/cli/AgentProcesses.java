package dev.orchestrator.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds the processes a test started indirectly (background halves of {@code --detach}, agents of the {@code cli}
 * provider) by a unique marker in their command line, and waits for them to end through {@link ProcessHandle#onExit()}.
 */
final class AgentProcesses {
  private AgentProcesses() {}

  /** The live processes whose command line contains {@code marker}, other than this one. */
  static List<ProcessHandle> matching(String marker) {
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self && p.info().commandLine().orElse("").contains(marker))
        .toList();
  }

  /** The live background halves of {@code --detach} started on a data directory under {@code dir}. */
  static List<ProcessHandle> childrenOf(Path dir) {
    return matching(dir.toString()).stream()
        .filter(p -> p.info().commandLine().orElse("").contains("--internal-detached-child"))
        .toList();
  }

  /** Waits until every one of {@code processes} has ended, at most {@code limit}; returns whether they all did. */
  static boolean awaitExit(List<ProcessHandle> processes, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    for (ProcessHandle p : processes) {
      try {
        p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
    return true;
  }

  /**
   * Waits until no process whose command line contains {@code marker} is alive, at most {@code limit}: each round
   * waits for the ones found to end, then looks again (one may have started meanwhile).
   */
  static boolean awaitNone(String marker, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      List<ProcessHandle> alive = matching(marker);
      if (alive.isEmpty()) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || !awaitExit(alive, Duration.ofNanos(left))) {
        return false;
      }
    }
  }
}
