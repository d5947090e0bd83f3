package dev.orchestrator.dashboard.internal;

import dev.orchestrator.Priority;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.dashboard.DashboardOptions;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The write side: every change goes through the engine's public API, which acts at once when this process executes
 * the run (or takes over a run no live engine holds), and otherwise stores a command that the engine holding the run
 * applies within about a second; pauses and answers are stored for every engine likewise.
 *
 * <p>Because a command for another process is applied there, later, a request that could not apply is refused here
 * first, from the stored state, with the reason (a cancelled task cannot be cancelled, only a failed one retried):
 * otherwise the other engine would drop it silently.
 *
 * <p>Thread-safe; stateless.
 */
final class Steering {
  /** Who the engine records as cancelling, when the dashboard cancels. */
  static final String ACTOR = "dashboard";

  private final Orchestrator orchestrator;
  private final DashboardOptions options;
  private final Views views;

  Steering(Orchestrator orchestrator, DashboardOptions options, Views views) {
    this.orchestrator = orchestrator;
    this.options = options;
    this.views = views;
  }

  void cancelRun(String project, String runId, String reason) {
    RunRecord r = views.runRecord(project, runId);
    if (r.status() != RunStatus.RUNNING) {
      throw new ApiException(409, "run '" + runId + "' is " + r.status() + ": only a running run can be cancelled");
    }
    handle(r).cancel(ACTOR, reason);
  }

  void cancelTask(String project, String runId, String taskId, String reason) {
    RunRecord r = views.runRecord(project, runId);
    TaskRecord t = views.taskRecord(r, taskId);
    if (t.state().isTerminal()) {
      throw new ApiException(409, "task '" + taskId + "' is " + t.state() + ": only an unfinished task can be "
          + "cancelled");
    }
    handle(r).cancelTask(taskId, ACTOR, reason);
  }

  void resume(String project, String runId, String taskId) {
    RunRecord r = views.runRecord(project, runId);
    TaskRecord t = views.taskRecord(r, taskId);
    if (t.state() != TaskState.CANCELLED && t.state() != TaskState.FAILED) {
      throw new ApiException(409, "task '" + taskId + "' is " + t.state() + ": only a CANCELLED or FAILED task can "
          + "be resumed");
    }
    handle(r).resume(taskId);
  }

  void retry(String project, String runId, String taskId) {
    RunRecord r = views.runRecord(project, runId);
    TaskRecord t = views.taskRecord(r, taskId);
    if (t.state() != TaskState.FAILED) {
      throw new ApiException(409, "task '" + taskId + "' is " + t.state() + ", not FAILED: only a failed task can be "
          + "retried (resume a cancelled one)");
    }
    handle(r).resume(taskId);
  }

  void changePriority(String project, String runId, String taskId, Priority priority) {
    RunRecord r = views.runRecord(project, runId);
    TaskRecord t = views.taskRecord(r, taskId);
    if (t.state().isTerminal() || t.state() == TaskState.RUNNING) {
      throw new ApiException(409, "task '" + taskId + "' is " + t.state() + ": only a task that has not started (or "
          + "waits to run again) can change priority");
    }
    handle(r).changePriority(taskId, priority);
  }

  void pauseProject(String project, String reason) {
    orchestrator.pauseProject(views.checkProject(project), reason);
  }

  void resumeProject(String project) {
    orchestrator.resumeProject(views.checkProject(project));
  }

  void pauseProvider(String provider, String reason) {
    orchestrator.pauseProvider(provider, reason);
  }

  void resumeProvider(String provider) {
    orchestrator.resumeProvider(provider);
  }

  /**
   * Answers an open question of any run the dashboard shows.
   *
   * @throws ApiException 404 when no shown project has that question open, 409 when it was answered already
   */
  void answer(String questionId, String answer) {
    if (answer.isBlank()) {
      throw new ApiException(400, "'answer' must not be blank: type the answer to the question");
    }
    List<String> shown = views.projects();
    for (String p : shown) {
      for (Question q : orchestrator.questions(p)) {
        if (q.id().equals(questionId)) {
          orchestrator.answer(questionId, answer);
          return;
        }
      }
    }
    for (String p : shown) {
      Question answered = answeredQuestion(p, questionId);
      if (answered != null) {
        throw new ApiException(409, "question " + questionId + " is already answered (at " + answered.answeredAt()
            + ")");
      }
    }
    throw new ApiException(404, "there is no open question '" + questionId + "'"
        + (options.projects().isEmpty() ? "" : " in the projects shown") + ": list them with "
        + "GET /api/projects/{project}/questions");
  }

  /** A question of a running run of the project that has its answer, or null. */
  private @Nullable Question answeredQuestion(String project, String questionId) {
    for (RunRecord r : orchestrator.store().runs(project)) {
      if (r.status() != RunStatus.RUNNING) {
        continue;
      }
      for (TaskRecord t : orchestrator.store().tasks(project, r.id())) {
        Question q = t.question();
        if (q != null && q.id().equals(questionId) && !q.isOpen()) {
          return q;
        }
      }
    }
    return null;
  }

  private Run handle(RunRecord r) {
    return orchestrator.run(r.project(), r.id()).orElseThrow(() -> new ApiException(409, "run '" + r.id()
        + "' has no stored workflow, so no engine can steer it"));
  }
}
