package dev.orchestrator.spi.notifier;

import dev.orchestrator.Priority;
import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message for people, already rendered: what a {@link Notifier} sends. Create one with {@link #builder()} (or
 * {@link #toBuilder()} to derive a changed copy); the constructor is private, so notifiers keep compiling when fields
 * are added. Immutable and thread-safe.
 *
 * <pre>{@code
 * Notification n = Notification.builder()
 *     .project("quantum-self").event("task_failed").priority(Priority.HIGH).severity(Severity.CRITICAL)
 *     .subject("[quantum-self] Task draft failed").body("Task draft failed on claude: rate limited")
 *     .locale(Locale.ENGLISH).at(clock.instant()).id("run", runId).id("task", "draft")
 *     .build();
 * }</pre>
 *
 * <p>Two notifications are equal when every value is equal, the related identifiers compared as maps.
 *
 * @since 0.1
 */
public final class Notification {
  private static final int MAX_IDEMPOTENCY_KEY = 200;

  private final String project;
  private final String event;
  private final Priority priority;
  private final Severity severity;
  private final String subject;
  private final String body;
  private final @Nullable URI link;
  private final Locale locale;
  private final Instant at;
  private final int count;
  private final Map<String, String> ids;
  private final @Nullable String idempotencyKey;
  private final Map<String, URI> actions;

  private Notification(Builder b) {
    this.project = checkProject(required(b.project, "a project: call project(...)"));
    this.event = checkEvent(required(b.event, "an event name: call event(...)"));
    this.priority = Objects.requireNonNull(b.priority, "priority");
    this.severity = Objects.requireNonNull(b.severity, "severity");
    this.subject = checkSubject(required(b.subject, "a subject: call subject(...)"));
    this.body = checkBody(required(b.body, "a body: call body(...)"));
    this.link = b.link;
    this.locale = Objects.requireNonNull(b.locale, "locale");
    this.at = required(b.at, "a time: call at(...)");
    this.count = checkCount(b.count);
    Map<String, String> copy = new LinkedHashMap<>();
    b.ids.forEach((key, value) -> copy.put(checkIdKey(key), checkIdValue(key, value)));
    this.ids = Collections.unmodifiableMap(copy);
    this.idempotencyKey = b.idempotencyKey == null ? null : checkIdempotencyKey(b.idempotencyKey);
    this.actions = Collections.unmodifiableMap(new LinkedHashMap<>(b.actions));
  }

  /**
   * One-tap actions, by name ({@code approve}, {@code reject}, {@code answer}): signed links that act on the
   * notification's question without a login; empty for most notifications. In insertion order.
   *
   * @since 0.1
   */
  public Map<String, URI> actions() {
    return actions;
  }

  /** Starts a notification: project, event, subject, body and time are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this notification's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The project the news is about; not blank. */
  public String project() {
    return project;
  }

  /**
   * The rule event name, such as {@code task_failed}, {@code run_completed}, {@code budget_exceeded}: lower case
   * with underscores.
   */
  public String event() {
    return event;
  }

  /** The priority of the task concerned, or the event's own priority when no task is concerned. */
  public Priority priority() {
    return priority;
  }

  /** How bad the news is; for presentation. */
  public Severity severity() {
    return severity;
  }

  /** One line, such as an e-mail subject; not blank. */
  public String subject() {
    return subject;
  }

  /** The full text, possibly several lines; not blank. */
  public String body() {
    return body;
  }

  /** Where to look or answer (the dashboard), or null. */
  public @Nullable URI link() {
    return link;
  }

  /** The language subject and body are written in. */
  public Locale locale() {
    return locale;
  }

  /** When the news happened (for a digest: when its window closed). */
  public Instant at() {
    return at;
  }

  /** How many occurrences it reports: 1, or more for a digest of identical notifications. */
  public int count() {
    return count;
  }

  /**
   * Related identifiers such as {@code run}, {@code task}, {@code question}, {@code provider}; in insertion order,
   * unmodifiable.
   */
  public Map<String, String> ids() {
    return ids;
  }

  /**
   * The same on every send of this notification (retries, and a send repeated by another process after a crash)
   * and different for every other: receivers drop a second message with a key they have seen. Such as
   * {@code 42-task_failed-slack} (event sequence, rule event, channel). Null when the sender gives none; each channel
   * passes it on as its documentation says (an {@code Idempotency-Key} header, a field of the payload, an e-mail
   * header).
   */
  public @Nullable String idempotencyKey() {
    return idempotencyKey;
  }

  /** Whether it reports more than one occurrence. */
  public boolean isDigest() {
    return count > 1;
  }

  /** A related identifier, or null. */
  public @Nullable String id(String key) {
    return ids.get(key);
  }

  private static <T> T required(@Nullable T value, String what) {
    if (value == null) {
      throw new IllegalStateException("notification needs " + what);
    }
    return value;
  }

  private static String checkProject(String project) {
    Objects.requireNonNull(project, "project");
    if (project.isBlank()) {
      throw new IllegalArgumentException(
          "project must not be blank (was '" + project + "'): name the project the notification is about");
    }
    return project;
  }

  private static String checkEvent(String event) {
    Objects.requireNonNull(event, "event");
    if (event.isBlank() || !event.equals(event.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "event must be a lower-case name such as 'task_failed' (was '" + event + "')");
    }
    return event;
  }

  private static String checkSubject(String subject) {
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank (was '" + subject + "'): give it one line of text");
    }
    return subject;
  }

  private static String checkBody(String body) {
    Objects.requireNonNull(body, "body");
    if (body.isBlank()) {
      throw new IllegalArgumentException("body must not be blank (was '" + body + "'): give it the full text");
    }
    return body;
  }

  private static int checkCount(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1 (was " + count
          + "): 1 for one occurrence, more for a digest of identical notifications");
    }
    return count;
  }

  private static String checkIdKey(String key) {
    Objects.requireNonNull(key, "id key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("id key must not be blank (was '" + key + "'): name what the id is of,"
          + " such as 'task'");
    }
    return key;
  }

  private static String checkIdValue(String key, String value) {
    return Objects.requireNonNull(value, () -> "id '" + key + "' value");
  }

  private static String checkIdempotencyKey(String key) {
    Objects.requireNonNull(key, "idempotencyKey");
    if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("idempotencyKey must be 1 to " + MAX_IDEMPOTENCY_KEY
          + " printable ASCII characters without spaces (was '" + key + "')");
    }
    return key;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Notification n && project.equals(n.project) && event.equals(n.event)
        && priority == n.priority && severity == n.severity && subject.equals(n.subject) && body.equals(n.body)
        && Objects.equals(link, n.link) && locale.equals(n.locale) && at.equals(n.at) && count == n.count
        && ids.equals(n.ids) && Objects.equals(idempotencyKey, n.idempotencyKey) && actions.equals(n.actions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(project, event, priority, severity, subject, body, link, locale, at, count, ids,
        idempotencyKey, actions);
  }

  @Override
  public String toString() {
    return "Notification[project=" + project + ", event=" + event + ", priority=" + priority + ", severity="
        + severity + ", subject=" + subject + ", body=" + body + ", link=" + link + ", locale=" + locale + ", at="
        + at + ", count=" + count + ", ids=" + ids + ", idempotencyKey=" + idempotencyKey + "]";
  }

  /**
   * Builds a {@link Notification}. Each setter checks its value at once: a null where a value is required throws
   * {@link NullPointerException} naming the setting, a bad value {@link IllegalArgumentException} naming the setting
   * and the value, and a refused value is never kept. {@link #build()} then throws {@link IllegalStateException}
   * naming the first required value that was never given. Mutable and not thread-safe; {@link #build()} copies, so
   * reusing a builder never changes a notification already built.
   */
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
    private final Map<String, URI> actions = new LinkedHashMap<>();

    private Builder() {}

    private Builder(Notification from) {
      this.project = from.project;
      this.event = from.event;
      this.priority = from.priority;
      this.severity = from.severity;
      this.subject = from.subject;
      this.body = from.body;
      this.link = from.link;
      this.locale = from.locale;
      this.at = from.at;
      this.count = from.count;
      this.ids.putAll(from.ids);
      this.idempotencyKey = from.idempotencyKey;
      this.actions.putAll(from.actions);
    }

    /**
     * Adds a one-tap action: a link a person can open to act at once, such as a signed approve link.
     *
     * @throws IllegalArgumentException when the name is blank
     */
    public Builder action(String name, URI link) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(link, "link");
      if (name.isBlank()) {
        throw new IllegalArgumentException("action name must not be blank: name it, such as 'approve'");
      }
      actions.put(name, link);
      return this;
    }

    /**
     * The project; required.
     *
     * @throws IllegalArgumentException when blank
     */
    public Builder project(String project) {
      this.project = checkProject(project);
      return this;
    }

    /**
     * The rule event name, such as {@code task_failed}; required.
     *
     * @throws IllegalArgumentException when blank or not lower case
     */
    public Builder event(String event) {
      this.event = checkEvent(event);
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

    /**
     * One line of text; required.
     *
     * @throws IllegalArgumentException when blank
     */
    public Builder subject(String subject) {
      this.subject = checkSubject(subject);
      return this;
    }

    /**
     * The full text; required.
     *
     * @throws IllegalArgumentException when blank
     */
    public Builder body(String body) {
      this.body = checkBody(body);
      return this;
    }

    /** Where to look or answer; none by default, and null clears it. */
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
      this.count = checkCount(count);
      return this;
    }

    /**
     * Adds a related identifier, such as {@code id("task", "draft")}; a second value for a key replaces the first.
     *
     * @throws IllegalArgumentException when the key is blank
     */
    public Builder id(String key, String value) {
      ids.put(checkIdKey(key), checkIdValue(key, value));
      return this;
    }

    /**
     * The key receivers drop duplicates by (see {@link Notification#idempotencyKey()}); none by default, and null
     * clears it.
     *
     * @throws IllegalArgumentException when not 1 to 200 printable ASCII characters without spaces
     */
    public Builder idempotencyKey(@Nullable String key) {
      this.idempotencyKey = key == null ? null : checkIdempotencyKey(key);
      return this;
    }

    /**
     * Builds the notification; every value was checked when it was set.
     *
     * @throws IllegalStateException naming the first required value that was never given
     */
    public Notification build() {
      return new Notification(this);
    }
  }
}
