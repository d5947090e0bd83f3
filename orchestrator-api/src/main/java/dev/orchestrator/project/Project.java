package dev.orchestrator.project;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A project: an isolated namespace (the roadmap's multi-project isolation). Nothing reads or writes across projects
 * except explicit admin calls. An archived project is read-only and hidden from lists until restored. Create one with
 * {@link #of} or {@link #builder()}; the constructor is private, so callers keep compiling when settings are added.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * Project blog = Project.builder().name("quantum-self").createdAt(clock.instant()).zone(ZoneId.of("Europe/Paris"))
 *     .settings(Map.of("notify", "slack")).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class Project {
  /** What a project name may look like. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.\\-]{0,99}");

  private final String name;
  private final Instant createdAt;
  private final boolean archived;
  private final ZoneId zone;
  private final Map<String, String> settings;

  private Project(Builder b) {
    if (b.name == null) {
      throw new IllegalStateException("a project needs a name: call name(\"quantum-self\")");
    }
    if (b.createdAt == null) {
      throw new IllegalStateException("project '" + b.name + "' needs its creation time: call createdAt(instant)");
    }
    if (b.zone == null) {
      throw new IllegalStateException("project '" + b.name + "' needs a time zone: call zone(ZoneId.of(\"UTC\"))");
    }
    this.name = b.name;
    this.createdAt = b.createdAt;
    this.archived = b.archived;
    this.zone = b.zone;
    this.settings = b.settings;
  }

  /** A new, active project with no settings. */
  public static Project of(String name, Instant createdAt, ZoneId zone) {
    return builder().name(name).createdAt(createdAt).zone(zone).build();
  }

  /** Starts a project: name, creation time and zone are required; active, no settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this project's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The project's name, such as {@code quantum-self}. */
  public String name() {
    return name;
  }

  /** When it was created. */
  public Instant createdAt() {
    return createdAt;
  }

  /** Whether it is archived. */
  public boolean archived() {
    return archived;
  }

  /** Its time zone (schedules and daily budgets default to it). */
  public ZoneId zone() {
    return zone;
  }

  /** Free-form settings (providers, policies, notification rules), as strings; never secrets. Unmodifiable. */
  public Map<String, String> settings() {
    return settings;
  }

  /** This project, archived or restored. */
  public Project withArchived(boolean archived) {
    return toBuilder().archived(archived).build();
  }

  /** This project with other settings. */
  public Project withSettings(Map<String, String> settings) {
    return toBuilder().settings(settings).build();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Project p && name.equals(p.name) && createdAt.equals(p.createdAt) && archived == p.archived
        && zone.equals(p.zone) && settings.equals(p.settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, createdAt, archived, zone, settings);
  }

  @Override
  public String toString() {
    return "Project[name=" + name + ", createdAt=" + createdAt + ", archived=" + archived + ", zone=" + zone
        + ", settings=" + settings + "]";
  }

  /**
   * Builds a {@link Project}. Each setter checks its value at once. Mutable and not thread-safe; reusing a builder
   * never changes a project already built.
   */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable Instant createdAt;
    private boolean archived;
    private @Nullable ZoneId zone;
    private Map<String, String> settings = Map.of();

    private Builder() {}

    private Builder(Project from) {
      this.name = from.name;
      this.createdAt = from.createdAt;
      this.archived = from.archived;
      this.zone = from.zone;
      this.settings = from.settings;
    }

    /**
     * The project's name. Required.
     *
     * @throws IllegalArgumentException when it is not 1 to 100 letters, digits, spaces, '_', '.' or '-' starting
     *     with a letter or digit
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("project must be 1 to 100 letters, digits, spaces, '_', '.' or '-', "
            + "starting with a letter or digit (was '" + name + "')");
      }
      this.name = name;
      return this;
    }

    /** When it was created. Required. */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
      return this;
    }

    /** Whether it is archived; false by default. */
    public Builder archived(boolean archived) {
      this.archived = archived;
      return this;
    }

    /** Its time zone. Required. */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * Its settings, replacing any given before; none by default.
     *
     * @throws NullPointerException when a name or value is null
     */
    public Builder settings(Map<String, String> settings) {
      this.settings = Map.copyOf(new TreeMap<>(Objects.requireNonNull(settings, "settings")));
      return this;
    }

    /**
     * Builds the project.
     *
     * @throws IllegalStateException when the name, creation time or zone is missing
     */
    public Project build() {
      return new Project(this);
    }
  }
}
