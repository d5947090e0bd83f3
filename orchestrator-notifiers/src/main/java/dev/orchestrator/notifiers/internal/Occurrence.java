package dev.orchestrator.notifiers.internal;

import dev.orchestrator.Priority;
import dev.orchestrator.notifiers.NotifiedEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One engine event, mapped to a rule event: the facts its messages need, not yet rendered. Immutable.
 *
 * @param event the rule event
 * @param project the project
 * @param runId the run
 * @param taskId the task concerned, or null
 * @param priority the task's priority, or the event's default priority
 * @param at when it happened
 * @param provider the provider concerned, or null
 * @param details the event's message arguments {4} and {5} (see the message bundle)
 * @param ids related ids for the notification
 * @param linkPath the dashboard path to link to, such as {@code /projects/p/runs/r}
 */
public record Occurrence(NotifiedEvent event, String project, String runId, @Nullable String taskId,
    Priority priority, Instant at, @Nullable String provider, List<Object> details, Map<String, String> ids,
    String linkPath) {
  public Occurrence {
    details = List.copyOf(details);
    ids = Map.copyOf(ids);
  }
}
