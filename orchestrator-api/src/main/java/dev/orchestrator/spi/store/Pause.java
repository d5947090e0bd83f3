package dev.orchestrator.spi.store;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A pause that every engine instance sharing the store honours: no new task of the project (or on the provider)
 * starts while it is stored; calls already running finish.
 *
 * <p>Made by {@link #project} or {@link #provider}, or by {@link #builder()}; the constructor is private, so stores
 * keep compiling when fields are added. Immutable and thread-safe; two pauses are equal when every value is equal.
 *
 * <pre>{@code
 * store.savePause(Pause.provider("claude", "outage", clock.instant()));
 * }</pre>
 *
 * @since 0.1
 */
public final class Pause {
  /** What a pause stops. */
  public enum Kind {
    /** Every task of one project. */
    PROJECT,
    /** Every task on one provider instance. */
    PROVIDER
  }

  private final Kind kind;
  private final String name;
  private final String reason;
  private final Instant at;

  private Pause(Builder b) {
    this.kind = required(b.kind, "kind");
    String n = required(b.name, "name");
    this.name = kind == Kind.PROVIDER ? n.toLowerCase(Locale.ROOT) : n;
    this.reason = required(b.reason, "reason");
    this.at = required(b.at, "at");
  }

  /**
   * A pause of every task of one project.
   *
   * @throws NullPointerException when a value is null
   */
  public static Pause project(String name, String reason, Instant at) {
    return builder().kind(Kind.PROJECT).name(name).reason(reason).at(at).build();
  }

  /**
   * A pause of every task on one provider instance; its name is kept in lower case.
   *
   * @throws NullPointerException when a value is null
   */
  public static Pause provider(String name, String reason, Instant at) {
    return builder().kind(Kind.PROVIDER).name(name).reason(reason).at(at).build();
  }

  /** Starts a pause; kind, name, reason and {@code at} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** What is paused. */
  public Kind kind() {
    return kind;
  }

  /** The project's name, or the provider instance's lower-case name. */
  public String name() {
    return name;
  }

  /** Why, shown to users. */
  public String reason() {
    return reason;
  }

  /** When it was paused. */
  public Instant at() {
    return at;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Pause p && kind == p.kind && name.equals(p.name) && reason.equals(p.reason)
        && at.equals(p.at);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name, reason, at);
  }

  @Override
  public String toString() {
    return "Pause[kind=" + kind + ", name=" + name + ", reason=" + reason + ", at=" + at + "]";
  }

  private static <T> T required(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
    }
    return value;
  }

  /**
   * Builds a {@link Pause}. Each setter checks its value at once: a null throws {@link NullPointerException} naming
   * the setting, and a refused value is never kept. Mutable and not thread-safe; reusing a builder never changes a
   * pause already built.
   */
  public static final class Builder {
    private @Nullable Kind kind;
    private @Nullable String name;
    private @Nullable String reason;
    private @Nullable Instant at;

    private Builder() {}

    /** What is paused; required. */
    public Builder kind(Kind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /** The project's name, or the provider instance's name (kept in lower case); required. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Why, shown to users; required. */
    public Builder reason(String reason) {
      this.reason = Objects.requireNonNull(reason, "reason");
      return this;
    }

    /** When it was paused; required. */
    public Builder at(Instant at) {
      this.at = Objects.requireNonNull(at, "at");
      return this;
    }

    /**
     * Builds the pause.
     *
     * @throws IllegalStateException when kind, name, reason or {@code at} was not given
     */
    public Pause build() {
      return new Pause(this);
    }
  }
}
