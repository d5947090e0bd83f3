package dev.orchestrator.langchain4j.internal;

import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/** What a finished run tells the model that called it: the outputs asked for, or why it did not succeed. */
public final class RunOutputs {
  private RunOutputs() {}

  /** The tasks no other task depends on: a workflow's final outputs. */
  public static List<String> finalTasks(Workflow workflow) {
    int n = workflow.tasks().size();
    boolean[] needed = new boolean[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < workflow.dependencyCount(i); k++) {
        needed[workflow.dependency(i, k)] = true;
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!needed[i]) {
        out.add(workflow.tasks().get(i).id());
      }
    }
    return out;
  }

  /** The text of a succeeded run: one output as it is, several each under its task's id. */
  public static String outputs(RunSnapshot done, List<String> tasks) {
    if (tasks.size() == 1) {
      TaskRecord t = done.task(tasks.get(0));
      return t == null || t.output() == null ? "" : t.output();
    }
    StringBuilder text = new StringBuilder();
    for (String id : tasks) {
      TaskRecord t = done.task(id);
      if (text.length() > 0) {
        text.append("\n\n");
      }
      text.append("## ").append(id).append('\n').append(t == null || t.output() == null ? "" : t.output());
    }
    return text.toString();
  }

  /** Why a run did not succeed, task by task, for the model to act on. */
  public static String failure(String tool, RunSnapshot done) {
    StringBuilder text = new StringBuilder("The workflow '" + tool + "' did not succeed (run " + done.run().id()
        + " ended " + done.status() + ")");
    for (TaskRecord t : done.tasks()) {
      if (t.state() == TaskState.FAILED) {
        text.append("; task '").append(t.taskId()).append("' failed")
            .append(t.errorKind() == null ? "" : " (" + t.errorKind() + ")")
            .append(t.error() == null ? "" : ": " + t.error());
      } else if (t.state() == TaskState.CANCELLED) {
        text.append("; task '").append(t.taskId()).append("' was cancelled");
      } else if (t.state() == TaskState.SKIPPED) {
        text.append("; task '").append(t.taskId()).append("' was skipped");
      }
    }
    return text.append('.').toString();
  }

  /** Whether a run succeeded. */
  public static boolean succeeded(RunSnapshot done) {
    return done.status() == RunStatus.SUCCEEDED;
  }
}
