package dev.orchestrator.spring.boot.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The wrong values found in the properties, each with the property as written in {@code application.yml}, its path
 * in the properties object (for Spring's errors), and a sentence that names the value and the fix. Not thread-safe.
 */
public final class Problems {
  /**
   * One wrong value.
   *
   * @param property the full property name, such as {@code orchestrator.retry.max-attempts}
   * @param field the JavaBean path in {@code OrchestratorProperties}, such as {@code retry.maxAttempts}
   * @param secret whether the value is a secret, which no message may show
   * @param message what is wrong and the fix; it names the value unless secret
   */
  public record Problem(String property, String field, boolean secret, String message) {}

  private final List<Problem> found = new ArrayList<>();

  /** Records a wrong value. */
  public void add(String property, String field, String message) {
    found.add(new Problem("orchestrator." + property, field, false, message));
  }

  /** Records a wrong secret: its message must not show the value. */
  public void addSecret(String property, String field, String message) {
    found.add(new Problem("orchestrator." + property, field, true, message));
  }

  /** What was found, in order. */
  public List<Problem> all() {
    return List.copyOf(found);
  }

  /** Whether nothing was found. */
  public boolean isEmpty() {
    return found.isEmpty();
  }

  /** Fails with every problem, one per line, when there are any. */
  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw new IllegalStateException("the orchestrator's properties are wrong:\n" + found.stream()
          .map(p -> "  " + p.property() + ": " + p.message()).collect(Collectors.joining("\n")));
    }
  }

  /** {@code 'value'}, or {@code null}, for messages. */
  static String shown(@Nullable Object value) {
    return value == null ? "null" : "'" + value + "'";
  }
}
