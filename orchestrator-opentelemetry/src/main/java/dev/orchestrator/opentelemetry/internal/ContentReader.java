package dev.orchestrator.opentelemetry.internal;

import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.StoreView;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a task's prompt and output from the store, for spans that record content. A read that fails records nothing
 * and is logged without the content.
 */
public final class ContentReader {
  private static final Logger log = LoggerFactory.getLogger(ContentReader.class);

  private final StoreView store;

  public ContentReader(StoreView store) {
    this.store = store;
  }

  /** The prompt of the task's latest attempt. */
  @Nullable String prompt(String project, String runId, String taskId) {
    TaskRecord t = task(project, runId, taskId);
    if (t == null) {
      return null;
    }
    List<Attempt> attempts = t.attempts();
    return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).prompt();
  }

  /** The task's output. */
  @Nullable String output(String project, String runId, String taskId) {
    TaskRecord t = task(project, runId, taskId);
    return t == null ? null : t.output();
  }

  private @Nullable TaskRecord task(String project, String runId, String taskId) {
    try {
      Optional<TaskRecord> t = store.task(project, runId, taskId);
      return t.orElse(null);
    } catch (RuntimeException e) {
      log.warn("Tracing could not read a task's content (project={}, run={}, task={}, error={})", project, runId,
          taskId, e.getClass().getName());
      return null;
    }
  }
}
