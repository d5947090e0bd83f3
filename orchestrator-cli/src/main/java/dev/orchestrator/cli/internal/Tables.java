package dev.orchestrator.cli.internal;

import dev.orchestrator.CostBasis;
import dev.orchestrator.Money;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Plain text tables and the task table shared by {@code run} and {@code status}. */
final class Tables {
  private Tables() {}

  /** Left-aligned columns, two spaces apart, no trailing blanks. */
  static String render(List<String> header, List<List<String>> rows) {
    return render(header, rows, Set.of());
  }

  /**
   * The one table layout of the command line: columns two spaces apart, each as wide as its widest cell (header
   * included, counted in characters, not UTF-16 units), left-aligned except the columns in {@code right} (amounts,
   * counts), and no trailing blanks. A cell with a line break is shown on one line.
   */
  static String render(List<String> header, List<List<String>> rows, Set<Integer> right) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    for (List<String> row : rows) {
      all.add(row.stream().map(c -> c.replace('\n', ' ').replace('\r', ' ')).toList());
    }
    int columns = 0;
    for (List<String> row : all) {
      columns = Math.max(columns, row.size());
    }
    int[] width = new int[columns];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], length(row.get(i)));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        String pad = " ".repeat(width[i] - length(cell));
        if (right.contains(i)) {
          line.append(pad).append(cell);
        } else {
          line.append(cell).append(pad);
        }
        if (i < row.size() - 1) {
          line.append("  ");
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  /** The width of a cell: its characters (an emoji or a CJK letter is one). */
  static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /**
   * One row of a table whose column widths are fixed in advance (a table printed as its rows arrive): left-aligned
   * columns, two spaces apart, as {@link #render} lays them out; a longer cell pushes the rest of its row.
   */
  static String row(List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      line.append(cells.get(i));
      if (i < cells.size() - 1) {
        line.append(" ".repeat(Math.max(0, widths[i] - cells.get(i).length()) + 2));
      }
    }
    return line.toString().stripTrailing();
  }

  /** Money for tables: at least two significant digits, so a cheap call is never shown as free ($0.0042). */
  static String money(Money m) {
    return MoneyText.format(m);
  }

  /**
   * An amount for people, saying when it is an estimate (the worst case of a call that may have been billed) or a
   * call was unpriced.
   */
  static String cost(Money m, CostBasis basis) {
    return switch (basis) {
      case MEASURED -> money(m);
      case ESTIMATED -> Messages.get("cost.estimated", money(m));
      case UNPRICED -> Messages.get("cost.unpriced", money(m));
    };
  }

  /** How long the task has been at work: first call start to last call end (or now). */
  static Duration elapsed(TaskRecord t, Instant now) {
    if (t.attempts().isEmpty()) {
      return Duration.ZERO;
    }
    Attempt first = t.attempts().get(0);
    Attempt last = t.lastAttempt();
    Instant end = last != null && last.finishedAt() != null ? last.finishedAt() : now;
    if (!t.state().isTerminal() && t.state() == TaskState.RUNNING) {
      end = now;
    }
    return Duration.between(first.startedAt(), end);
  }

  /** The task table: task, state, provider (marked when simulated), elapsed, cost. */
  static String tasks(RunSnapshot s, Set<String> simulated, Instant now) {
    return tasks(s, simulated, now, Map.of());
  }

  /** The tasks table, with a WAITING FOR column (each reason cut to fit) when any task waits for something. */
  static String tasks(RunSnapshot s, Set<String> simulated, Instant now, Map<String, String> waiting) {
    List<List<String>> rows = new ArrayList<>();
    for (TaskRecord t : s.tasks()) {
      String provider = t.provider() == null ? "-"
          : simulated.contains(t.provider()) ? Messages.get("table.simulatedProvider", t.provider()) : t.provider();
      List<String> row = new ArrayList<>(List.of(t.taskId(), t.state().name(), provider,
          t.attempts().isEmpty() ? "-" : Durations.format(elapsed(t, now)), cost(t.cost(), t.costBasis())));
      if (!waiting.isEmpty()) {
        String why = waiting.get(t.taskId());
        row.add(why == null ? "" : Texts.shorten(why, 90));
      }
      rows.add(row);
    }
    List<String> header = new ArrayList<>(List.of(Messages.get("table.task"), Messages.get("table.state"),
        Messages.get("table.provider"), Messages.get("table.elapsed"), Messages.get("table.cost")));
    if (!waiting.isEmpty()) {
      header.add(Messages.get("table.waiting"));
    }
    return render(header, rows);
  }

  /** The overall line: done of total, running, elapsed, cost. */
  static String overall(RunSnapshot s, Instant now) {
    long done = s.tasks().stream().filter(t -> t.state().isTerminal()).count();
    long running = s.tasks().stream().filter(t -> t.state() == TaskState.RUNNING).count();
    Instant end = s.run().finishedAt() != null ? s.run().finishedAt() : now;
    return Messages.get("table.overall", s.status().name(), done, s.tasks().size(), running,
        Durations.format(Duration.between(s.run().submittedAt(), end)), cost(s.cost(), s.costBasis()));
  }
}
