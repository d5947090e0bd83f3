package dev.orchestrator.project;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A project: an isolated namespace (the roadmap's multi-project isolation). Nothing reads or writes across projects
 * except explicit admin calls. An archived project is read-only and hidden from lists until restored. Immutable.
 *
 * @param name the project's name, such as {@code quantum-self}
 * @param createdAt when it was created
 * @param archived whether it is archived
 * @param zone its time zone (schedules and daily budgets default to it)
 * @param settings free-form settings (providers, policies, notification rules), as strings; never secrets
 * @since 0.1
 */
public record Project(String name, Instant createdAt, boolean archived, ZoneId zone, Map<String, String> settings) {
  /** What a project name may look like. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.\\-]{0,99}");

  public Project {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(zone, "zone");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("project must be 1 to 100 letters, digits, spaces, '_', '.' or '-', "
          + "starting with a letter or digit (was '" + name + "')");
    }
    settings = Map.copyOf(new TreeMap<>(settings));
  }

  /** A new, active project with no settings. */
  public static Project of(String name, Instant createdAt, ZoneId zone) {
    return new Project(name, createdAt, false, zone, Map.of());
  }

  /** This project, archived or restored. */
  public Project withArchived(boolean archived) {
    return new Project(name, createdAt, archived, zone, settings);
  }

  /** This project with other settings. */
  public Project withSettings(Map<String, String> settings) {
    return new Project(name, createdAt, archived, zone, settings);
  }
}
