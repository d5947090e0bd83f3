package dev.orchestrator.templates;

import dev.orchestrator.schedule.Trigger;
import dev.orchestrator.workflow.Workflow;
import java.util.Map;
import java.util.Objects;

/**
 * A template with its values filled in: the {@link Workflow}, which carries every task field to the engine
 * (reviews and contexts included), plus the tasks' schedules, keyed by task id: a schedule starts runs of the whole
 * workflow, so it belongs to a {@link dev.orchestrator.schedule.Schedule}, not to a task. Immutable and thread-safe.
 *
 * @param template the template it came from
 * @param workflow the validated workflow; its placeholders are kept and the values are its parameters' defaults,
 *     so the engine fills them at submit in one pass with upstream outputs (a value is never expanded again)
 * @param values the text each parameter was written as, defaults included, in declaration order
 * @param schedules each scheduled task's cron expression, as written
 * @param triggers each scheduled task's {@code schedule} and {@code repeat} as a trigger, ready for a
 *     {@link dev.orchestrator.schedule.Schedule} of this workflow
 */
public record BoundTemplate(
    Template template,
    Workflow workflow,
    Map<String, String> values,
    Map<String, String> schedules,
    Map<String, Trigger> triggers) {
  public BoundTemplate {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(workflow, "workflow");
    values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    schedules = Map.copyOf(schedules);
    triggers = Map.copyOf(triggers);
  }
}
