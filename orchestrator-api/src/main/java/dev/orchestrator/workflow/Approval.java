package dev.orchestrator.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A human's approval a task needs: before it runs ({@link Stage#BEFORE}) or of its output before that output counts
 * ({@link Stage#AFTER}). An approval is a question with the answers {@value #APPROVE} and {@value #REJECT}: the task
 * waits in {@code AWAITING_INPUT}, the question is stored like any other (so any process on the same store can
 * answer it, and a waiting task costs nothing), and its id starts with {@value #ID_PREFIX}. A rejected task fails.
 *
 * <p>With a {@link #timeout()}, an unanswered approval is settled by its {@link #onTimeout()} policy on the engine's
 * clock: {@link OnTimeout#DENY} rejects it, {@link OnTimeout#DEFAULT} gives the {@link #defaultAnswer()}, and
 * {@link OnTimeout#ESCALATE} asks again, addressed to {@link #escalateTo()}, and rejects when that second wait times
 * out too. Immutable and thread-safe; built with {@link #before()}, {@link #after()} or {@link #builder(Stage)}.
 *
 * @since 0.1
 */
public final class Approval {
  /** The answer that approves. */
  public static final String APPROVE = "approve";
  /** The answer that rejects. */
  public static final String REJECT = "reject";
  /** How the id of every approval question starts. */
  public static final String ID_PREFIX = "approval-";

  /** When the approval is asked. */
  public enum Stage {
    /** Before the task runs: nothing is spent until it is approved. */
    BEFORE,
    /** Of the task's output: the task succeeds once its output is approved. */
    AFTER
  }

  /** What happens when nobody answers in time. */
  public enum OnTimeout {
    /** The approval is rejected; the task fails. */
    DENY,
    /** The approval is asked again of {@link #escalateTo()}; a second timeout rejects it. */
    ESCALATE,
    /** The approval gets its {@link #defaultAnswer()}. */
    DEFAULT
  }

  private final Stage stage;
  private final @Nullable Duration timeout;
  private final OnTimeout onTimeout;
  private final String defaultAnswer;
  private final List<String> escalateTo;

  private Approval(Builder b) {
    this.stage = b.stage;
    this.timeout = b.timeout;
    this.onTimeout = b.onTimeout;
    this.defaultAnswer = b.defaultAnswer;
    this.escalateTo = List.copyOf(b.escalateTo);
    if (onTimeout == OnTimeout.ESCALATE && escalateTo.isEmpty()) {
      throw new IllegalStateException("approval onTimeout is ESCALATE but escalateTo is empty: name who is asked "
          + "next with escalateTo(...), or choose DENY or DEFAULT");
    }
  }

  /** An approval before the task runs that waits as long as it takes. */
  public static Approval before() {
    return builder(Stage.BEFORE).build();
  }

  /** An approval of the task's output that waits as long as it takes. */
  public static Approval after() {
    return builder(Stage.AFTER).build();
  }

  /** Starts an approval at the given stage: no timeout, {@link OnTimeout#DENY}, default answer {@value #REJECT}. */
  public static Builder builder(Stage stage) {
    return new Builder(Objects.requireNonNull(stage, "stage"));
  }

  /**
   * The stage named in a template: {@code before} or {@code after}, any case.
   *
   * @throws IllegalArgumentException naming the value and the choices
   */
  public static Stage stage(String name) {
    Objects.requireNonNull(name, "approval");
    try {
      return Stage.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("approval must be 'before' or 'after' (was '" + name + "')");
    }
  }

  /**
   * The meaning of an answer to an approval, by its first word: {@code true} for approve ({@code approve},
   * {@code approved}, {@code yes}, {@code ok}), {@code false} for anything else.
   */
  public static boolean approves(String answer) {
    String a = answer.trim().toLowerCase(Locale.ROOT);
    int space = a.indexOf(' ');
    a = space < 0 ? a : a.substring(0, space);
    return a.equals(APPROVE) || a.equals("approved") || a.equals("yes") || a.equals("ok");
  }

  /** Whether a question id is that of an approval. */
  public static boolean isApproval(String questionId) {
    return questionId.startsWith(ID_PREFIX);
  }

  /** When the approval is asked. */
  public Stage stage() {
    return stage;
  }

  /** How long to wait for an answer, or null to wait as long as it takes. */
  public @Nullable Duration timeout() {
    return timeout;
  }

  /** What happens when nobody answers within the {@link #timeout()}. */
  public OnTimeout onTimeout() {
    return onTimeout;
  }

  /** The answer given on timeout with {@link OnTimeout#DEFAULT}: {@value #APPROVE} or {@value #REJECT}. */
  public String defaultAnswer() {
    return defaultAnswer;
  }

  /** Who is asked when the first wait times out with {@link OnTimeout#ESCALATE} (channel or people names). */
  public List<String> escalateTo() {
    return escalateTo;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Approval a && stage == a.stage && Objects.equals(timeout, a.timeout)
        && onTimeout == a.onTimeout && defaultAnswer.equals(a.defaultAnswer) && escalateTo.equals(a.escalateTo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stage, timeout, onTimeout, defaultAnswer, escalateTo);
  }

  @Override
  public String toString() {
    return "Approval[stage=" + stage + ", timeout=" + timeout + ", onTimeout=" + onTimeout + ", defaultAnswer="
        + defaultAnswer + ", escalateTo=" + escalateTo + "]";
  }

  /**
   * Builds an {@link Approval}; each setter checks its value at once. Mutable and not thread-safe; reusing a builder
   * never changes an approval already built.
   */
  public static final class Builder {
    private final Stage stage;
    private @Nullable Duration timeout;
    private OnTimeout onTimeout = OnTimeout.DENY;
    private String defaultAnswer = REJECT;
    private final List<String> escalateTo = new ArrayList<>(2);

    private Builder(Stage stage) {
      this.stage = stage;
    }

    /**
     * How long to wait for an answer; none by default (wait as long as it takes).
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("approval timeout must be positive (was " + timeout
            + "): give how long to wait, or leave it out to wait as long as it takes");
      }
      this.timeout = timeout;
      return this;
    }

    /** What happens on timeout; {@link OnTimeout#DENY} by default. */
    public Builder onTimeout(OnTimeout onTimeout) {
      this.onTimeout = Objects.requireNonNull(onTimeout, "onTimeout");
      return this;
    }

    /**
     * The answer given on timeout with {@link OnTimeout#DEFAULT}; {@value #REJECT} by default.
     *
     * @throws IllegalArgumentException unless {@value #APPROVE} or {@value #REJECT}
     */
    public Builder defaultAnswer(String answer) {
      Objects.requireNonNull(answer, "defaultAnswer");
      String a = answer.trim().toLowerCase(Locale.ROOT);
      if (!a.equals(APPROVE) && !a.equals(REJECT)) {
        throw new IllegalArgumentException("approval defaultAnswer must be 'approve' or 'reject' (was '" + answer
            + "')");
      }
      this.defaultAnswer = a;
      return this;
    }

    /**
     * Who is asked next when the first wait times out with {@link OnTimeout#ESCALATE}; replaces earlier names.
     *
     * @throws IllegalArgumentException when a name is blank
     */
    public Builder escalateTo(List<String> names) {
      Objects.requireNonNull(names, "escalateTo");
      List<String> copy = new ArrayList<>(names.size());
      for (String n : names) {
        if (n == null || n.isBlank()) {
          throw new IllegalArgumentException("approval escalateTo must name recipients, not blanks (was " + names
              + ")");
        }
        copy.add(n.trim());
      }
      escalateTo.clear();
      escalateTo.addAll(copy);
      return this;
    }

    /**
     * Builds the approval.
     *
     * @throws IllegalStateException when escalation has nobody to escalate to
     */
    public Approval build() {
      return new Approval(this);
    }
  }
}
