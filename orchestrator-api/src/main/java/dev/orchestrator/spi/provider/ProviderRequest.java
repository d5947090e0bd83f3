package dev.orchestrator.spi.provider;

import dev.orchestrator.workflow.ExpectedOutput;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the engine asks a provider: the rendered prompt and the limits of the call.
 *
 * @param prompt the instructions with every placeholder filled in
 * @param system a system prompt, or null
 * @param maxOutputTokens the most output tokens wanted, or null for the provider's default
 * @param expectedOutput the expected output (a JSON schema switches providers to JSON mode), or null
 * @param taskType the kind of work
 * @param timeout the call's time limit, or null
 * @since 0.1
 */
public record ProviderRequest(String prompt, @Nullable String system, @Nullable Integer maxOutputTokens,
    @Nullable ExpectedOutput expectedOutput, String taskType, @Nullable Duration timeout) {
  public ProviderRequest {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(taskType, "taskType");
  }

  /** A plain prompt of the default task type. */
  public static ProviderRequest of(String prompt) {
    return new ProviderRequest(prompt, null, null, null, "general", null);
  }

  /** This request with a different prompt. */
  public ProviderRequest withPrompt(String prompt) {
    return new ProviderRequest(prompt, system, maxOutputTokens, expectedOutput, taskType, timeout);
  }
}
