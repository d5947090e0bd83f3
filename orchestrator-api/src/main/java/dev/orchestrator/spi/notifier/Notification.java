package dev.orchestrator.spi.notifier;

import dev.orchestrator.Priority;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message for people, already rendered: what a {@link Notifier} sends. Immutable and thread-safe.
 *
 * <pre>{@code
 * Notification n = Notification.builder()
 *     .project("quantum-self").event("task_failed").priority(Priority.HIGH).severity(Severity.CRITICAL)
 *     .subject("[quantum-self] Task draft failed").body("Task draft failed on claude: rate limited")
 *     .locale(Locale.ENGLISH).at(clock.instant()).id("run", runId).id("task", "draft")
 *     .build();
 * }</pre>
 *
 * @param project the project the news is about
 * @param event the rule event name, such as {@code task_failed}, {@code run_completed}, {@code budget_exceeded}:
 *     lower case with underscores
 * @param priority the priority of the task concerned, or the event's own priority when no task is concerned
 * @param severity how bad the news is; for presentation
 * @param subject one line, such as an e-mail subject; not blank
 * @param body the full text, possibly several lines; not blank
 * @param link where to look or answer (the dashboard), or null
 * @param locale the language subject and body are written in
 * @param at when the news happened (for a digest: when its window closed)
 * @param count how many occurrences it reports: 1, or more for a digest of identical notifications
 * @param ids related identifiers such as {@code run}, {@code task}, {@code question}, {@code provider}; in
 *     insertion order
 * @param idempotencyKey the same on every send of this notification (retries, and a send repeated by another
 *     process after a crash) and different for every other: receivers drop a second message with a key they have
 *     seen. Such as {@code 42-task_failed-slack} (event sequence, rule event, channel). Null when the sender gives
 *     none; each channel passes it on as its documentation says (an {@code Idempotency-Key} header, a field of the
 *     payload, an e-mail header)
 *
 * @since 0.1
 */
public record Notification(
    String project,
    String event,
    Priority priority,
    Severity severity,
    String subject,
    String body,
    @Nullable URI link,
    Locale locale,
    Instant at,
    int count,
    Map<String, String> ids,
    @Nullable String idempotencyKey) {

  public Notification {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(locale, "locale");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(ids, "ids");
    if (project.isBlank()) {
      throw new IllegalArgumentException("notification project must not be blank: name the project it is about");
    }
    if (event.isBlank() || !event.equals(event.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "notification event must be a lower-case name such as 'task_failed' (was '" + event + "')");
    }
    if (subject.isBlank()) {
      throw new IllegalArgumentException("notification subject must not be blank: give it one line of text");
    }
    if (body.isBlank()) {
      throw new IllegalArgumentException("notification body must not be blank: give it the full text");
    }
    if (count < 1) {
      throw new IllegalArgumentException("notification count must be >= 1 (was " + count + ")");
    }
    ids = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ids));
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200
        || !idempotencyKey.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      throw new IllegalArgumentException("notification idempotencyKey must be 1 to 200 printable ASCII characters"
          + " without spaces (was '" + idempotencyKey + "')");
    }
  }

  /** A notification without an idempotency key. */
  public Notification(String project, String event, Priority priority, Severity severity, String subject,
      String body, @Nullable URI link, Locale locale, Instant at, int count, Map<String, String> ids) {
    this(project, event, priority, severity, subject, body, link, locale, at, count, ids, null);
  }

  /** Starts a notification. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this notification's values. */
  public Builder toBuilder() {
    Builder b = new Builder().project(project).event(event).priority(priority).severity(severity).subject(subject)
        .body(body).locale(locale).at(at).count(count);
    b.link = link;
    b.idempotencyKey = idempotencyKey;
    b.ids.putAll(ids);
    return b;
  }

  /** Whether it reports more than one occurrence. */
  public boolean isDigest() {
    return count > 1;
  }

  /** A related identifier, or null. */
  public @Nullable String id(String key) {
    return ids.get(key);
  }

  /** Builds a {@link Notification}. Mutable and not thread-safe; {@link #build()} copies. */
  public static final class Builder {
    private @Nullable String project;
    private @Nullable String event;
    private Priority priority = Priority.MEDIUM;
    private Severity severity = Severity.INFO;
    private @Nullable String subject;
    private @Nullable String body;
    private @Nullable URI link;
    private Locale locale = Locale.ENGLISH;
    private @Nullable Instant at;
    private int count = 1;
    private final Map<String, String> ids = new LinkedHashMap<>();
    private @Nullable String idempotencyKey;

    Builder() {}

    /** The project; required. */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /** The rule event name, such as {@code task_failed}; required. */
    public Builder event(String event) {
      this.event = Objects.requireNonNull(event, "event");
      return this;
    }

    /** The priority; {@link Priority#MEDIUM} by default. */
    public Builder priority(Priority priority) {
      this.priority = Objects.requireNonNull(priority, "priority");
      return this;
    }

    /** The severity; {@link Severity#INFO} by default. */
    public Builder severity(Severity severity) {
      this.severity = Objects.requireNonNull(severity, "severity");
      return this;
    }

    /** One line of text; required. */
    public Builder subject(String subject) {
      this.subject = Objects.requireNonNull(subject, "subject");
      return this;
    }

    /** The full text; required. */
    public Builder body(String body) {
      this.body = Objects.requireNonNull(body, "body");
      return this;
    }

    /** Where to look or answer; none by default. */
    public Builder link(@Nullable URI link) {
      this.link = link;
      return this;
    }

    /** The language of subject and body; English by default. */
    public Builder locale(Locale locale) {
      this.locale = Objects.requireNonNull(locale, "locale");
      return this;
    }

    /** When it happened; required. */
    public Builder at(Instant at) {
      this.at = Objects.requireNonNull(at, "at");
      return this;
    }

    /**
     * How many occurrences it reports; 1 by default.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder count(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("notification count must be >= 1 (was " + count + ")");
      }
      this.count = count;
      return this;
    }

    /** Adds a related identifier, such as {@code id("task", "draft")}. */
    public Builder id(String key, String value) {
      ids.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The key receivers drop duplicates by (see {@link Notification#idempotencyKey()}); none by default. */
    public Builder idempotencyKey(@Nullable String key) {
      this.idempotencyKey = key;
      return this;
    }

    /**
     * Builds the notification.
     *
     * @throws IllegalStateException naming the first required value that is missing
     * @throws IllegalArgumentException when a value is invalid
     */
    public Notification build() {
      if (project == null) {
        throw new IllegalStateException("notification needs a project: call project(...)");
      }
      if (event == null) {
        throw new IllegalStateException("notification needs an event name: call event(...)");
      }
      if (subject == null) {
        throw new IllegalStateException("notification needs a subject: call subject(...)");
      }
      if (body == null) {
        throw new IllegalStateException("notification needs a body: call body(...)");
      }
      if (at == null) {
        throw new IllegalStateException("notification needs a time: call at(...)");
      }
      return new Notification(project, event, priority, severity, subject, body, link, locale, at, count, ids,
          idempotencyKey);
    }
  }
}
