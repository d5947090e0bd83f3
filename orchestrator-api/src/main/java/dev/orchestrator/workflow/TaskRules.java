package dev.orchestrator.workflow;

import dev.orchestrator.Money;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The rules a {@link TaskSpec} follows, each written once: {@link TaskSpec.Builder}'s setters call these methods as
 * each value is given, and {@link TaskSpec}'s constructor calls them again on what it is built from, so no task that
 * breaks one can exist and the library needs no validator. Each method returns the value to keep (names of providers
 * and task types are kept in lower case) or throws {@link IllegalArgumentException} naming the task, the field, the
 * value and the fix ({@link NullPointerException} naming the field for a missing object).
 *
 * <p>The checks are plain loops over characters rather than regular expressions: a workflow of a million tasks runs
 * them a million times.
 */
final class TaskRules {
  static final int ID_MAX = 100;
  static final int TITLE_MAX = 500;
  static final int TASK_TYPE_MAX = 64;

  private TaskRules() {}

  /** 1 to 100 letters, digits, {@code _} or {@code -}. */
  static String id(@Nullable String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("task id must not be blank (was " + describe(id) + "): give every task an id");
    }
    if (!word(id, ID_MAX, true)) {
      throw new IllegalArgumentException("task id must be 1 to " + ID_MAX + " letters, digits, '_' or '-' (was "
          + describe(id) + "): such as 'draft' or 'step_2'");
    }
    return id;
  }

  /** Not blank, at most 500 characters. */
  static String title(String task, @Nullable String title) {
    String t = text(task, "title", title, "give the task a title, or leave it out to use the id");
    if (t.length() > TITLE_MAX) {
      throw new IllegalArgumentException("task '" + task + "': title must be at most " + TITLE_MAX
          + " characters (was " + describe(t) + ", " + t.length()
          + " characters): keep it short and put the detail in the instructions");
    }
    return t;
  }

  /** Not blank. */
  static String instructions(String task, @Nullable String instructions) {
    return text(task, "instructions", instructions,
        "give the task its prompt text, or leave them out to use the title");
  }

  /** Not blank. */
  static String system(String task, @Nullable String system) {
    return text(task, "system", system, "give the system prompt, or leave it out");
  }

  /** Not blank. */
  static String question(String task, @Nullable String question) {
    return text(task, "question", question, "ask the question, or leave it out");
  }

  /** Not blank; kept trimmed and in lower case, as provider names are case-insensitive. */
  static String provider(String task, @Nullable String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("task '" + task + "': provider name must not be blank (was " + describe(name)
          + "): name a configured provider such as 'claude'");
    }
    return name.trim().toLowerCase(Locale.ROOT);
  }

  /** Each a {@link #provider provider name}, none listed twice (case-insensitively). */
  static List<String> providers(String task, Collection<String> names) {
    List<String> list = new ArrayList<>(names.size());
    for (String n : names) {
      String p = provider(task, n);
      if (list.contains(p)) {
        throw new IllegalArgumentException("task '" + task + "': provider '" + n
            + "' is listed twice: name each candidate once");
      }
      list.add(p);
    }
    return List.copyOf(list);
  }

  /** 1 to 64 letters, digits, {@code _} or {@code -}; kept in lower case. */
  static String taskType(String task, @Nullable String type) {
    String t = text(task, "taskType", type,
        "leave it out for '" + TaskSpec.DEFAULT_TASK_TYPE + "' or name the kind of work");
    // Most tasks keep the default, a valid constant: they skip the loop.
    if (t.equals(TaskSpec.DEFAULT_TASK_TYPE)) {
      return t;
    }
    String lower = t.toLowerCase(Locale.ROOT);
    if (!word(lower, TASK_TYPE_MAX, false)) {
      throw new IllegalArgumentException("task '" + task + "': taskType must be 1 to " + TASK_TYPE_MAX
          + " letters, digits, '_' or '-' (was " + describe(t) + "): such as 'code_review'");
    }
    return lower;
  }

  /** The id of another task: not blank, not the task's own. */
  static String dependency(String task, @Nullable String dependency) {
    if (dependency == null || dependency.isBlank()) {
      throw new IllegalArgumentException("task '" + task + "': dependsOn must not hold a blank id (was "
          + describe(dependency) + "): name the task to wait for");
    }
    if (dependency.equals(task)) {
      throw new IllegalArgumentException(
          "task '" + task + "' cannot depend on itself: remove '" + task + "' from its dependsOn");
    }
    return dependency;
  }

  /** Each a {@link #dependency dependency}, none listed twice. */
  static List<String> dependsOn(String task, Collection<String> ids) {
    List<String> list = new ArrayList<>(ids.size());
    for (String id : ids) {
      String d = dependency(task, id);
      if (list.contains(d)) {
        throw new IllegalArgumentException(
            "task '" + task + "': dependsOn lists '" + d + "' twice: name each task to wait for once");
      }
      list.add(d);
    }
    return List.copyOf(list);
  }

  /** Positive. */
  static Duration timeout(String task, @Nullable Duration timeout) {
    if (timeout == null) {
      throw new NullPointerException("timeout");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("task '" + task + "': timeout must be positive (was " + timeout
          + "): use for example Duration.ofMinutes(5)");
    }
    return timeout;
  }

  /** Not negative. */
  static Money maxCost(String task, @Nullable Money maxCost) {
    if (maxCost == null) {
      throw new NullPointerException("maxCost");
    }
    if (maxCost.isNegative()) {
      throw new IllegalArgumentException("task '" + task + "': maxCost must not be negative (was " + maxCost
          + "): give the most the task may spend, such as Money.usd(\"0.50\")");
    }
    return maxCost;
  }

  /** At least 1. */
  /** Most exchanges with collaborators: 1 to 100. */
  static int maxExchanges(String task, int maxExchanges) {
    if (maxExchanges < 1 || maxExchanges > 100) {
      throw new IllegalArgumentException("task '" + task + "': maxExchanges must be 1 to 100 (was " + maxExchanges
          + "): give how many questions the task's provider may ask its collaborators in all");
    }
    return maxExchanges;
  }

  static int maxOutputTokens(String task, int maxOutputTokens) {
    if (maxOutputTokens < 1) {
      throw new IllegalArgumentException("task '" + task + "': maxOutputTokens must be >= 1 (was " + maxOutputTokens
          + "): leave it out for the provider's default");
    }
    return maxOutputTokens;
  }

  /** A text that must not be blank. */
  private static String text(String task, String field, @Nullable String value, String fix) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "task '" + task + "': " + field + " must not be blank (was " + describe(value) + "): " + fix);
    }
    return value;
  }

  /** 1 to {@code max} ASCII letters (upper case too, when {@code upper}), digits, {@code _} or {@code -}. */
  private static boolean word(String s, int max, boolean upper) {
    int n = s.length();
    if (n < 1 || n > max) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
          || (upper && c >= 'A' && c <= 'Z');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A value for a message: quoted and cut to 40 characters, or {@code null}. */
  static String describe(@Nullable String value) {
    return value == null ? "null" : "'" + ExpectedOutput.abbreviate(value) + "'";
  }
}
