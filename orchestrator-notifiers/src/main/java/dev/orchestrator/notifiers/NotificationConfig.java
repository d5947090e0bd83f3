package dev.orchestrator.notifiers;

import dev.orchestrator.notifiers.internal.ConfigParser;
import dev.orchestrator.notifiers.internal.ProjectSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who hears of what, per project: channels, rules, language, digest window, rate limits. Read from JSON in the
 * shape of the roadmap's example, extended with per-project sections. Immutable and thread-safe.
 *
 * <pre>{@code
 * {
 *   "notifications": {
 *     "email": "user@example.com",
 *     "slack_webhook": "${SLACK_WEBHOOK_URL}",
 *     "channels": {"email": {"host": "smtp.example.com", "username": "bot", "password": "${SMTP_PASSWORD}",
 *                            "from": "bot@example.com"}},
 *     "rules": [
 *       {"event": "task_failed", "priority": "high", "notify": ["email", "slack"]},
 *       {"event": "task_completed", "priority": "low", "notify": []}
 *     ]
 *   },
 *   "projects": {"quantum-self": {"notifications": {"locale": "es"}}}
 * }
 * }</pre>
 *
 * <p>A project listed under {@code projects} uses the top-level {@code notifications} overridden key by key by its
 * own; any other project uses the top-level section as it is, and a project with neither gets no notifications.
 * Property values written {@code ${NAME}} are read from the environment when the listener is built, so secrets
 * need not sit in the file. See {@code docs/notifications.md} for every field.
 */
public final class NotificationConfig {
  private final @Nullable ProjectSettings defaults;
  private final Map<String, ProjectSettings> projects;

  private NotificationConfig(@Nullable ProjectSettings defaults, Map<String, ProjectSettings> projects) {
    this.defaults = defaults;
    this.projects = Map.copyOf(projects);
  }

  /**
   * Parses a configuration document.
   *
   * @throws InvalidNotificationConfigException listing every problem, each with its field's path and the fix
   */
  public static NotificationConfig parse(String json) {
    ConfigParser parser = new ConfigParser();
    ConfigParser.Parsed parsed = parser.parse(json);
    if (parsed == null) {
      throw new InvalidNotificationConfigException(parser.problems());
    }
    return new NotificationConfig(parsed.defaults(), parsed.projects());
  }

  /**
   * Reads a configuration file in UTF-8.
   *
   * @throws InvalidNotificationConfigException listing every problem
   * @throws UncheckedIOException when the file cannot be read
   */
  public static NotificationConfig read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read notification configuration " + file + ": " + e.getMessage(), e);
    }
  }

  /** The projects with a section of their own, lower case. */
  public Set<String> projects() {
    return projects.keySet();
  }

  /** Whether projects without a section of their own are notified (there is a top-level section). */
  public boolean hasDefaults() {
    return defaults != null;
  }

  /** The language of a project's messages; English when it has no settings. */
  public Locale locale(String project) {
    return settings(project).map(ProjectSettings::locale).orElse(Locale.ENGLISH);
  }

  /** The settings for a project: its own, the defaults, or none. Internal type: no compatibility promise. */
  Optional<ProjectSettings> settings(String project) {
    ProjectSettings own = projects.get(project.toLowerCase(Locale.ROOT));
    return Optional.ofNullable(own != null ? own : defaults);
  }

  @Nullable ProjectSettings defaults() {
    return defaults;
  }

  Map<String, ProjectSettings> projectSettings() {
    return projects;
  }

  @Override
  public String toString() {
    return "NotificationConfig[defaults=" + (defaults != null) + ", projects=" + projects.keySet() + "]";
  }
}
