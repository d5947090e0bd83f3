package dev.orchestrator.workflow;

import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The rules a {@link TaskSpec} must follow, written once: the Bean Validation annotations on the record name these
 * constants, the builder's setters and {@link Workflow.Builder#build()} check them in plain Java, so the library
 * needs no validator at run time. Each message names the rule and the fix; callers add the field and the value.
 */
final class TaskRules {
  static final String ID_REGEX = "[A-Za-z0-9_\\-]{1,100}";
  static final String ID_BLANK = "must not be blank: give every task an id";
  static final String ID_FORMAT = "must be 1 to 100 letters, digits, '_' or '-'";

  static final int TITLE_MAX = 500;
  static final String TITLE_BLANK = "must not be blank: give the task a title";
  static final String TITLE_SIZE = "must be at most " + TITLE_MAX
      + " characters: keep it short and put the detail in the instructions";

  static final String INSTRUCTIONS_BLANK = "must not be blank: give the task its prompt text";
  static final String PROVIDER_BLANK = "must not be blank: name a configured provider such as 'claude'";

  static final String TASK_TYPE_REGEX = "[a-z0-9_\\-]{1,64}";
  static final String TASK_TYPE_BLANK = "must not be blank: leave it out for '" + TaskSpec.DEFAULT_TASK_TYPE
      + "' or name the kind of work";
  static final String TASK_TYPE_FORMAT = "must be 1 to 64 lower-case letters, digits, '_' or '-'";

  static final String DEPENDENCY_BLANK = "must not be blank: name the task to wait for";

  /** Kept word for word as Bean Validation's {@code @Positive} says it; the fix follows the value. */
  static final String MAX_OUTPUT_TOKENS_POSITIVE = "must be greater than 0";
  static final String MAX_OUTPUT_TOKENS_FIX = "leave it out for the provider's default";

  static final Pattern ID = Pattern.compile(ID_REGEX);
  static final Pattern TASK_TYPE = Pattern.compile(TASK_TYPE_REGEX);

  private TaskRules() {}

  /**
   * Adds one sentence per broken rule of {@code t} to {@code problems}, in the order of the record's components.
   * Nulls are refused by the record's constructor already, so only values are checked here.
   */
  static void check(TaskSpec t, List<String> problems) {
    String id = t.id();
    if (id.isBlank()) {
      problems.add(problem(id, "id", ID_BLANK, id));
    } else if (!ID.matcher(id).matches()) {
      problems.add(problem(id, "id", ID_FORMAT, id));
    }
    String title = t.title();
    if (title.isBlank()) {
      problems.add(problem(id, "title", TITLE_BLANK, title));
    } else if (title.length() > TITLE_MAX) {
      problems.add("task '" + id + "': title " + TITLE_SIZE + " (was " + describe(title) + ", "
          + title.length() + " characters)");
    }
    if (t.instructions().isBlank()) {
      problems.add(problem(id, "instructions", INSTRUCTIONS_BLANK, t.instructions()));
    }
    List<String> providers = t.providers();
    for (int i = 0; i < providers.size(); i++) {
      if (providers.get(i).isBlank()) {
        problems.add(problem(id, "providers[" + i + "]", PROVIDER_BLANK, providers.get(i)));
      }
    }
    String type = t.taskType();
    // The default is a valid constant; most tasks keep it, so they skip the pattern.
    if (!type.equals(TaskSpec.DEFAULT_TASK_TYPE)) {
      if (type.isBlank()) {
        problems.add(problem(id, "taskType", TASK_TYPE_BLANK, type));
      } else if (!TASK_TYPE.matcher(type).matches()) {
        problems.add(problem(id, "taskType", TASK_TYPE_FORMAT, type));
      }
    }
    List<String> dependsOn = t.dependsOn();
    for (int i = 0; i < dependsOn.size(); i++) {
      if (dependsOn.get(i).isBlank()) {
        problems.add(problem(id, "dependsOn[" + i + "]", DEPENDENCY_BLANK, dependsOn.get(i)));
      }
    }
    Integer tokens = t.maxOutputTokens();
    if (tokens != null && tokens < 1) {
      problems.add(problem(id, "maxOutputTokens", MAX_OUTPUT_TOKENS_POSITIVE, String.valueOf(tokens))
          + ": " + MAX_OUTPUT_TOKENS_FIX);
    }
  }

  private static String problem(String id, String field, String rule, String value) {
    return "task '" + id + "': " + field + " " + rule + " (was " + describe(value) + ")";
  }

  static String describe(@Nullable String value) {
    return value == null ? "null" : "'" + ExpectedOutput.abbreviate(value) + "'";
  }
}
