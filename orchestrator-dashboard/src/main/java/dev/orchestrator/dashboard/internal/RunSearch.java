package dev.orchestrator.dashboard.internal;

import dev.orchestrator.Money;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.StoreView;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The runs list: every run of the shown projects (or of one), filtered by words, status, workflow, provider and
 * submission date, newest first, one page at a time. Read from the store on every request. Stateless; thread-safe.
 */
final class RunSearch {
  static final int MAX_LIMIT = 200;

  private final StoreView store;
  private final Views views;
  private final ZoneId zone;
  private final Supplier<Set<String>> templateNames;

  /**
   * @param templateNames the names of the templates a finished run can be started again from
   */
  RunSearch(StoreView store, Views views, ZoneId zone, Supplier<Set<String>> templateNames) {
    this.store = store;
    this.views = views;
    this.zone = zone;
    this.templateNames = templateNames;
  }

  /** What to look for; every field but the page is optional. */
  record Query(@Nullable String project, @Nullable String words, @Nullable RunStatus status,
      @Nullable String workflow, @Nullable String provider, @Nullable LocalDate from, @Nullable LocalDate to,
      int offset, int limit) {

    /** The query of a request's parameters, each checked with a message naming it. */
    static Query of(Map<String, String> params) {
      RunStatus status = null;
      String s = blankToNull(params.get("status"));
      if (s != null) {
        try {
          status = RunStatus.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new ApiException(400, "status must be one of " + List.of(RunStatus.values()) + " (was '" + cut(s)
              + "')");
        }
      }
      return new Query(blankToNull(params.get("project")), blankToNull(params.get("q")), status,
          blankToNull(params.get("workflow")), blankToNull(params.get("provider")), date(params, "from"),
          date(params, "to"), number(params, "offset", 0, 0, Integer.MAX_VALUE),
          number(params, "limit", 20, 1, MAX_LIMIT));
    }
  }

  /** A run in the list; {@code rerun} when it has finished and a template of its workflow's name can start it again. */
  record Row(String project, String id, String workflow, RunStatus status, Instant submittedAt,
      @Nullable Instant finishedAt, Money cost, int tasks, int succeeded, List<String> providers, boolean rerun) {}

  /** One page of the runs found, and what the filters may offer. */
  record Page(int total, int offset, int limit, List<Row> runs, List<String> workflows, List<String> providers) {}

  Page search(Query q) {
    List<String> projects = q.project() == null ? views.projects() : List.of(views.checkProject(q.project()));
    List<Row> rows = new ArrayList<>();
    TreeSet<String> workflows = new TreeSet<>();
    TreeSet<String> providers = new TreeSet<>();
    String words = q.words() == null ? null : q.words().toLowerCase(Locale.ROOT);
    Set<String> names = templateNames.get();
    for (String p : projects) {
      for (RunRecord r : store.runs(p)) {
        workflows.add(r.workflow());
        List<TaskRecord> tasks = store.tasks(p, r.id());
        TreeSet<String> used = new TreeSet<>();
        Money cost = Money.ZERO;
        int succeeded = 0;
        StringBuilder text = new StringBuilder(r.id()).append(' ').append(r.workflow());
        for (TaskRecord t : tasks) {
          if (t.provider() != null) {
            used.add(t.provider());
          }
          t.attempts().forEach(a -> used.add(a.provider()));
          cost = cost.plus(t.cost());
          if (t.state() == dev.orchestrator.run.TaskState.SUCCEEDED) {
            succeeded++;
          }
          text.append(' ').append(t.taskId()).append(' ').append(t.title());
        }
        providers.addAll(used);
        LocalDate day = LocalDate.ofInstant(r.submittedAt(), zone);
        if ((q.status() != null && r.status() != q.status())
            || (q.workflow() != null && !r.workflow().equals(q.workflow()))
            || (q.provider() != null && !used.contains(q.provider()))
            || (q.from() != null && day.isBefore(q.from()))
            || (q.to() != null && day.isAfter(q.to()))
            || (words != null && !text.toString().toLowerCase(Locale.ROOT).contains(words))) {
          continue;
        }
        rows.add(new Row(p, r.id(), r.workflow(), r.status(), r.submittedAt(), r.finishedAt(), cost, tasks.size(),
            succeeded, List.copyOf(used), r.status().isFinished() && names.contains(r.workflow())));
      }
    }
    rows.sort(Comparator.comparing(Row::submittedAt).thenComparing(Row::id).reversed());
    int from = Math.min(q.offset(), rows.size());
    int to = Math.min(rows.size(), from + q.limit());
    return new Page(rows.size(), q.offset(), q.limit(), List.copyOf(rows.subList(from, to)),
        List.copyOf(workflows), List.copyOf(providers));
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static @Nullable LocalDate date(Map<String, String> params, String name) {
    String s = blankToNull(params.get(name));
    if (s == null) {
      return null;
    }
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, name + " must be a date such as 2026-12-06 (was '" + cut(s) + "')");
    }
  }

  private static int number(Map<String, String> params, String name, int otherwise, int min, int max) {
    String s = blankToNull(params.get(name));
    if (s == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(s);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Falls through to the message below.
    }
    throw new ApiException(400, name + " must be a whole number within " + min + ".." + max + " (was '" + cut(s)
        + "')");
  }

  private static String cut(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
