package dev.orchestrator.cli.internal;

import dev.orchestrator.notifiers.NotificationListener;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.store.Outbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code notifications [--pending | --delivered] [--all] [--limit n]}: the notifications in the store's outbox, the
 * failed ones by default, each with why it failed; most recent first.
 */
@Command(name = "notifications", mixinStandardHelpOptions = true)
final class NotificationsCommand extends CliCommand {
  @Option(names = "--pending", descriptionKey = "opt.notificationsPending")
  boolean pending;

  @Option(names = "--delivered", descriptionKey = "opt.notificationsDelivered")
  boolean delivered;

  @Option(names = "--all", descriptionKey = "opt.allProjects")
  boolean all;

  @Option(names = "--limit", paramLabel = "<n>", defaultValue = "20", descriptionKey = "opt.notificationsLimit")
  int limit = 20;

  NotificationsCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    if (pending && delivered) {
      throw CliException.of(ExitCodes.USAGE, "notifications.oneStatus");
    }
    if (limit < 1) {
      throw CliException.of(ExitCodes.USAGE, "notifications.limit", limit);
    }
    Outbox.Status status = pending ? Outbox.Status.PENDING : delivered ? Outbox.Status.DELIVERED
        : Outbox.Status.FAILED;
    Outbox outbox;
    try {
      outbox = cli.store().outbox();
    } catch (UnsupportedOperationException e) {
      throw CliException.of(ExitCodes.CONFIG, "notifications.noOutbox", Stores.describe(cli.storeLocation()));
    }
    String project = cli.project();
    List<Map<String, Object>> rows = new ArrayList<>();
    // Read more than asked when filtering by project, so other projects' rows do not crowd this one's out.
    for (Outbox.Delivery d : outbox.list(NotificationListener.RELAY, status, all ? limit : limit * 10)) {
      if (rows.size() == limit) {
        break;
      }
      if (all || d.project().equalsIgnoreCase(project)) {
        rows.add(row(d));
      }
    }
    if (cli.json()) {
      cli.printJson(rows);
      return ExitCodes.OK;
    }
    String which = status.name().toLowerCase(java.util.Locale.ROOT);
    if (rows.isEmpty()) {
      cli.say(all ? "notifications.noneAll" : "notifications.none", which, project);
      return ExitCodes.OK;
    }
    List<List<String>> table = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      table.add(List.of(String.valueOf(r.get(status == Outbox.Status.PENDING ? "dueAt" : "finishedAt")),
          String.valueOf(r.get("project")), String.valueOf(r.get("channel")), String.valueOf(r.get("event")),
          String.valueOf(r.get("attempts")), String.valueOf(r.get("subject")),
          r.get("lastError") == null ? "" : String.valueOf(r.get("lastError"))));
    }
    cli.out().print(Tables.render(List.of(Messages.get(status == Outbox.Status.PENDING ? "notifications.due"
        : "notifications.when"), Messages.get("notifications.project"), Messages.get("notifications.channel"),
        Messages.get("notifications.event"), Messages.get("notifications.attempts"),
        Messages.get("notifications.subject"), Messages.get("notifications.reason")), table));
    cli.out().flush();
    return ExitCodes.OK;
  }

  private static Map<String, Object> row(Outbox.Delivery d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", d.key());
    m.put("project", d.project());
    m.put("channel", d.destination());
    m.put("status", d.status().name());
    m.put("attempts", d.attempts());
    m.put("createdAt", d.createdAt().toString());
    m.put("dueAt", d.dueAt().toString());
    m.put("finishedAt", d.finishedAt() == null ? null : d.finishedAt().toString());
    m.put("lastError", d.lastError());
    try {
      Notification n = NotificationListener.notificationOf(d);
      m.put("event", n.event());
      m.put("subject", n.subject());
    } catch (IllegalArgumentException e) {
      m.put("event", "?");
      m.put("subject", "(unreadable: " + e.getMessage() + ")");
    }
    return m;
  }
}
