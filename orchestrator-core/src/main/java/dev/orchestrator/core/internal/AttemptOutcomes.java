package dev.orchestrator.core.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.report.FailureReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of every attempt this engine ended, newest last, at most {@link #SIZE}: what the failure report
 * analyses. Confined to the drain loop.
 */
final class AttemptOutcomes {
  static final int SIZE = 100_000;

  private record Outcome(String provider, String taskType, @Nullable ErrorKind kind, Instant at) {}

  private final ArrayDeque<Outcome> log = new ArrayDeque<>();

  /** Records an attempt on {@code provider} that ended at {@code at}; {@code kind} null when it succeeded. */
  void add(String provider, String taskType, @Nullable ErrorKind kind, Instant at) {
    if (log.size() == SIZE) {
      log.pollFirst();
    }
    log.addLast(new Outcome(provider, taskType, kind, at));
  }

  /** Failure patterns of the attempts that ended within {@code window} before {@code now}. */
  FailureReport report(Duration window, Instant now) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive (was " + window + ")");
    }
    Instant from = now.minus(window);
    List<FailureAnalysis.Outcome> out = new ArrayList<>();
    for (Outcome a : log) {
      if (a.at().isAfter(from)) {
        out.add(new FailureAnalysis.Outcome(a.provider(), a.taskType(), a.kind()));
      }
    }
    return FailureAnalysis.report(out, from, now);
  }
}
