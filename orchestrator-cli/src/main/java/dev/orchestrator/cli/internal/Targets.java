package dev.orchestrator.cli.internal;

import dev.orchestrator.run.Question;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Finds what people name on the command line, in the current project: a run by its id or a unique prefix of it
 * ({@code 3f2a}), a task as {@code <run>:<task>} or by its task id alone (in the newest run that has it), a
 * question by its id.
 */
final class Targets {
  private final Store store;
  private final String project;

  Targets(Store store, String project) {
    this.store = store;
    this.project = project;
  }

  /** A task of a run. */
  record TaskRef(RunRecord run, TaskRecord task) {}

  /** The runs, newest first. */
  List<RunRecord> newestFirst() {
    List<RunRecord> runs = new ArrayList<>(store.runs(project));
    java.util.Collections.reverse(runs);
    return runs;
  }

  /** The run an id or prefix names, or null when none does. */
  @Nullable RunRecord findRun(String ref) {
    List<RunRecord> matches = new ArrayList<>();
    for (RunRecord r : store.runs(project)) {
      if (r.id().equals(ref)) {
        return r;
      }
      if (ref.length() >= 4 && r.id().startsWith(ref)) {
        matches.add(r);
      }
    }
    if (matches.size() > 1) {
      throw CliException.of(ExitCodes.USAGE, "run.ambiguous", ref, matches.size());
    }
    return matches.isEmpty() ? null : matches.get(0);
  }

  RunRecord requireRun(String ref) {
    RunRecord r = findRun(ref);
    if (r == null) {
      throw CliException.of(ExitCodes.NOT_FOUND, "run.notFound", ref, project);
    }
    return r;
  }

  /** The newest run, or null when the project has none. */
  @Nullable RunRecord latest() {
    List<RunRecord> runs = store.runs(project);
    return runs.isEmpty() ? null : runs.get(runs.size() - 1);
  }

  /**
   * A task by {@code <run>:<task>}, or by task id in the newest run where it matches {@code preferred} (else the
   * newest run that has it).
   */
  TaskRef requireTask(String ref, Predicate<TaskRecord> preferred) {
    int colon = ref.lastIndexOf(':');
    if (colon > 0) {
      RunRecord run = requireRun(ref.substring(0, colon));
      String taskId = ref.substring(colon + 1);
      TaskRecord t = store.task(project, run.id(), taskId).orElseThrow(() -> CliException.of(ExitCodes.NOT_FOUND,
          "task.notFoundInRun", taskId, run.id(), ids(store.tasks(project, run.id()))));
      return new TaskRef(run, t);
    }
    TaskRef fallback = null;
    for (RunRecord r : newestFirst()) {
      TaskRecord t = store.task(project, r.id(), ref).orElse(null);
      if (t == null) {
        continue;
      }
      if (preferred.test(t)) {
        return new TaskRef(r, t);
      }
      if (fallback == null) {
        fallback = new TaskRef(r, t);
      }
    }
    if (fallback == null) {
      throw CliException.of(ExitCodes.NOT_FOUND, "task.notFound", ref, project);
    }
    return fallback;
  }

  /** The question with that id (or unique prefix), with its task. */
  TaskRef requireQuestion(String ref) {
    List<TaskRef> found = new ArrayList<>();
    for (RunRecord r : newestFirst()) {
      for (TaskRecord t : store.tasks(project, r.id())) {
        Question q = t.question();
        if (q != null && (q.id().equals(ref) || (ref.length() >= 4 && q.id().startsWith(ref)))) {
          found.add(new TaskRef(r, t));
        }
      }
    }
    if (found.isEmpty()) {
      throw CliException.of(ExitCodes.NOT_FOUND, "question.notFound", ref, project);
    }
    if (found.size() > 1) {
      throw CliException.of(ExitCodes.USAGE, "question.ambiguous", ref);
    }
    return found.get(0);
  }

  private static String ids(List<TaskRecord> tasks) {
    return String.join(", ", tasks.stream().map(TaskRecord::taskId).toList());
  }
}
