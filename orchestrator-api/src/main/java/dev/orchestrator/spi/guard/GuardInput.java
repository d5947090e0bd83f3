package dev.orchestrator.spi.guard;

import dev.orchestrator.workflow.ExpectedOutput;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a guard checks: a prompt or an output, and where it comes from.
 *
 * @param project the project
 * @param runId the run
 * @param taskId the task
 * @param taskType the task's type
 * @param provider the provider instance the text goes to or came from
 * @param providerType that provider's plugin type, such as {@code cli}
 * @param text the prompt or the output
 * @param expected what the task expects as output, or null
 * @since 0.1
 */
public record GuardInput(String project, String runId, String taskId, String taskType, String provider,
    String providerType, String text, @Nullable ExpectedOutput expected) {
  public GuardInput {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(providerType, "providerType");
    Objects.requireNonNull(text, "text");
  }
}
