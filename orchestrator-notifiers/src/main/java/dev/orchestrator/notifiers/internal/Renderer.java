package dev.orchestrator.notifiers.internal;

import dev.orchestrator.Priority;
import dev.orchestrator.notifiers.NotifiedEvent;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.notifier.Notification;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Writes notifications in a project's language: one occurrence, or a digest of a window's. Stateless. */
public final class Renderer {
  private Renderer() {}

  /** One occurrence as a notification. */
  public static Notification single(Occurrence o, ProjectSettings s) {
    Locale l = s.locale();
    String unknown = Messages.format(l, "unknown");
    Object[] args = {o.project(), o.runId(), o.taskId() == null ? "" : o.taskId(),
        o.provider() == null ? unknown : o.provider(), detail(l, o, 0), detail(l, o, 1)};
    String key = o.event().ruleName();
    Notification.Builder b = Notification.builder().project(o.project()).event(key).priority(o.priority())
        .severity(o.event().severity()).subject(Messages.format(l, key + ".subject", args))
        .body(Messages.format(l, key + ".body", args)).locale(l).at(o.at()).link(link(s, o.linkPath()));
    o.ids().forEach(b::id);
    OneTapActions.add(b, o, s);
    return b.build();
  }

  private static Object detail(Locale l, Occurrence o, int i) {
    if (o.details().size() <= i) {
      return "";
    }
    Object d = o.details().get(i);
    if (d instanceof RunStatus st) {
      return Messages.format(l, "status." + st.name());
    }
    String text = String.valueOf(d);
    return text.isBlank() ? Messages.format(l, "unknown") : text;
  }

  /**
   * A digest: {@code count} occurrences of {@code event} in the project's window, naming up to five of them.
   *
   * @param samples task (or run) ids of some of the occurrences, in order
   * @param at when the window closed
   */
  public static Notification digest(String project, NotifiedEvent event, ProjectSettings s, int count,
      Priority priority, List<String> samples, Instant at) {
    Locale l = s.locale();
    String span = Messages.window(l, s.digestWindow());
    String name = event.ruleName();
    String subject = Messages.format(l, name + ".digest.subject", project, count, span);
    StringBuilder body = new StringBuilder(Messages.format(l, name + ".digest.body", project, count, span));
    if (!samples.isEmpty()) {
      String list = String.join(", ", samples);
      int more = count - samples.size();
      if (more > 0) {
        list = Messages.format(l, "digest.more", list, more);
      }
      body.append('\n').append(Messages.format(l, "digest.samples", list));
    }
    Notification.Builder b = Notification.builder().project(project).event(name).priority(priority)
        .severity(event.severity()).subject(subject).body(body.toString()).locale(l).at(at).count(count)
        .link(link(s, "/projects/" + project));
    if (!samples.isEmpty()) {
      b.id(event == NotifiedEvent.RUN_COMPLETED ? "runs" : "tasks", String.join(",", samples));
    }
    return b.build();
  }

  /** The notification with a note that {@code held} earlier ones were held back by the channel's rate limit. */
  public static Notification withHeldBack(Notification n, int held) {
    return n.toBuilder().body(n.body() + "\n\n" + Messages.format(n.locale(), "suppressed", held)).build();
  }

  private static @Nullable URI link(ProjectSettings s, String path) {
    URI base = s.dashboardUrl();
    if (base == null) {
      return null;
    }
    String b = base.toString();
    return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
  }
}
