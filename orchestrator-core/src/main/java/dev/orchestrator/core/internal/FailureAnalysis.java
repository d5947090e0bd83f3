package dev.orchestrator.core.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.report.FailureReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Turns attempt outcomes into a {@link FailureReport}: counts per provider and task type, and suggestions. */
final class FailureAnalysis {
  /** Rows with fewer attempts than this are too thin to suggest anything from. */
  static final int MIN_ATTEMPTS = 3;

  private FailureAnalysis() {}

  /** One ended attempt; {@code kind} is null for a success. */
  record Outcome(String provider, String taskType, @Nullable ErrorKind kind) {}

  static FailureReport report(List<Outcome> outcomes, Instant from, Instant to) {
    Map<String, Map<String, int[]>> counts = new TreeMap<>();
    Map<String, Map<String, Map<ErrorKind, Integer>>> kinds = new TreeMap<>();
    for (Outcome o : outcomes) {
      int[] c = counts.computeIfAbsent(o.provider(), k -> new TreeMap<>()).computeIfAbsent(o.taskType(),
          k -> new int[2]);
      c[0]++;
      if (o.kind() != null) {
        c[1]++;
        kinds.computeIfAbsent(o.provider(), k -> new TreeMap<>())
            .computeIfAbsent(o.taskType(), k -> new EnumMap<>(ErrorKind.class)).merge(o.kind(), 1, Integer::sum);
      }
    }
    List<FailureReport.Row> rows = new ArrayList<>();
    counts.forEach((provider, byType) -> byType.forEach((type, c) -> rows.add(FailureReport.Row.builder()
        .provider(provider).taskType(type).attempts(c[0]).failures(c[1])
        .byKind(kinds.getOrDefault(provider, Map.of()).getOrDefault(type, Map.of())).build())));
    return FailureReport.builder().from(from).to(to).rows(rows)
        .suggestions(suggestions(rows, Duration.between(from, to))).build();
  }

  private static List<String> suggestions(List<FailureReport.Row> rows, Duration window) {
    List<FailureReport.Row> bad = new ArrayList<>();
    for (FailureReport.Row r : rows) {
      if (r.attempts() >= MIN_ATTEMPTS && r.failureRate() >= 0.5) {
        bad.add(r);
      }
    }
    bad.sort(Comparator.comparingDouble(FailureReport.Row::failureRate).reversed()
        .thenComparing(FailureReport.Row::provider));
    List<String> out = new ArrayList<>();
    for (FailureReport.Row r : bad) {
      String head = r.provider() + " failed " + percent(r.failureRate()) + " of " + r.taskType()
          + " tasks in the last " + FailureReport.human(window) + ", mostly " + r.mostCommonKind();
      FailureReport.Row best = null;
      for (FailureReport.Row o : rows) {
        if (o.taskType().equals(r.taskType()) && !o.provider().equals(r.provider()) && o.attempts() >= MIN_ATTEMPTS
            && 1 - o.failureRate() >= 0.8 && (best == null || o.failureRate() < best.failureRate())) {
          best = o;
        }
      }
      if (best != null) {
        out.add(head + "; " + best.provider() + " succeeded " + percent(1 - best.failureRate()) + ": prefer "
            + best.provider() + " for " + r.taskType());
      } else {
        out.add(head + ": check the provider's status, its key and its timeout");
      }
    }
    return out;
  }

  private static String percent(double share) {
    return Math.round(share * 100) + "%";
  }
}
