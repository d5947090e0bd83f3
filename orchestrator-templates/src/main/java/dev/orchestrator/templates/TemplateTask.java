package dev.orchestrator.templates;

import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.workflow.Approval;
import dev.orchestrator.workflow.ExpectedOutput;
import dev.orchestrator.workflow.UpstreamContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One task of a {@link Template}, before its placeholders are filled. Every field but the id is optional; what is
 * not given takes the {@link dev.orchestrator.workflow.TaskSpec} default. Immutable and thread-safe.
 *
 * @param id the task id as text; a numeric id of the roadmap ({@code "id": 1}) becomes {@code "1"}
 * @param title a short name with placeholders, or null for the id
 * @param instructions the prompt with placeholders, or null for the title (the roadmap's "Edit and refine" task has none)
 * @param system a system prompt with placeholders, or null
 * @param providers {@code assigned_to}: provider instances in order of preference, lower case; empty for the default;
 *     {@code "auto"} among them lets the project's learning strategy choose (among the others when there are any,
 *     else among every configured instance)
 * @param dependsOn {@code depends_on}: ids of the tasks this one waits for
 * @param priority the priority, or null for medium
 * @param taskType the kind of work, or null for {@code general}
 * @param review a review by another provider, or null
 * @param maxCost the most the task may spend, or null
 * @param timeout the longest one provider call may take, or null
 * @param maxOutputTokens the most output tokens to ask for, or null
 * @param expectedOutput what the output should look like (text placeholders are filled), or null
 * @param question a question put to a human before the task runs, whose answer fills {@code {{input}}}, or null
 * @param schedule a cron expression (5 or 6 fields, or {@code @daily} and the like) for scheduled runs, or null
 * @param repeat with a schedule, whether it fires at every time of the expression ({@code "repeat": true}) or only
 *     at the next one (false, the default)
 * @param context {@code context}: whether the outputs of the tasks it depends on are appended to its prompt
 *     ({@code "parents"}, {@code {"max_tokens": 4000}}) or not ({@code "none"}), or null for the default,
 *     {@link UpstreamContext#parents()}
 * @param collaborators {@code collaborators}: the providers the task's provider may consult while it works, lower
 *     case; empty when it works alone (see docs/collaboration.md)
 * @param maxExchanges {@code max_exchanges}: how many questions it may ask them in all, or null for the default (3)
 * @param approval {@code approval}: a human's approval before the task runs ({@code "before"}) or of its output
 *     ({@code "after"}), with an optional timeout policy; or null
 */
public record TemplateTask(
    String id,
    @Nullable String title,
    @Nullable String instructions,
    @Nullable String system,
    List<String> providers,
    List<String> dependsOn,
    @Nullable Priority priority,
    @Nullable String taskType,
    @Nullable TaskReview review,
    @Nullable Money maxCost,
    @Nullable Duration timeout,
    @Nullable Integer maxOutputTokens,
    @Nullable ExpectedOutput expectedOutput,
    @Nullable String question,
    @Nullable String schedule,
    boolean repeat,
    @Nullable UpstreamContext context,
    List<String> collaborators,
    @Nullable Integer maxExchanges,
    @Nullable Approval approval) {

  public TemplateTask {
    Objects.requireNonNull(id, "id");
    providers = List.copyOf(providers);
    dependsOn = List.copyOf(dependsOn);
    collaborators = List.copyOf(collaborators);
  }

  /** A task without collaborators or an approval, as the format was before {@code collaborators}. */
  public TemplateTask(String id, @Nullable String title, @Nullable String instructions, @Nullable String system,
      List<String> providers, List<String> dependsOn, @Nullable Priority priority, @Nullable String taskType,
      @Nullable TaskReview review, @Nullable Money maxCost, @Nullable Duration timeout,
      @Nullable Integer maxOutputTokens, @Nullable ExpectedOutput expectedOutput, @Nullable String question,
      @Nullable String schedule, boolean repeat, @Nullable UpstreamContext context) {
    this(id, title, instructions, system, providers, dependsOn, priority, taskType, review, maxCost, timeout,
        maxOutputTokens, expectedOutput, question, schedule, repeat, context, List.of(), null, null);
  }

  /** A task without an approval, as the format was before {@code approval}. */
  public TemplateTask(String id, @Nullable String title, @Nullable String instructions, @Nullable String system,
      List<String> providers, List<String> dependsOn, @Nullable Priority priority, @Nullable String taskType,
      @Nullable TaskReview review, @Nullable Money maxCost, @Nullable Duration timeout,
      @Nullable Integer maxOutputTokens, @Nullable ExpectedOutput expectedOutput, @Nullable String question,
      @Nullable String schedule, boolean repeat, @Nullable UpstreamContext context, List<String> collaborators,
      @Nullable Integer maxExchanges) {
    this(id, title, instructions, system, providers, dependsOn, priority, taskType, review, maxCost, timeout,
        maxOutputTokens, expectedOutput, question, schedule, repeat, context, collaborators, maxExchanges, null);
  }
}
