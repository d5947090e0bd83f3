package dev.orchestrator.cli.internal;

import dev.orchestrator.Scheduler;
import dev.orchestrator.core.schedule.Scheduling;
import dev.orchestrator.schedule.MisfirePolicy;
import dev.orchestrator.schedule.Schedule;
import dev.orchestrator.schedule.ScheduleStatus;
import dev.orchestrator.schedule.Trigger;
import dev.orchestrator.spi.store.ScheduleStore;
import dev.orchestrator.templates.BoundTemplate;
import dev.orchestrator.templates.Template;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code schedule add | list | pause | resume | remove}: manages the schedules kept in the store. Firing them is the
 * job of a long-running {@code orchestrator worker}; these commands never fire anything.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true)
final class ScheduleCommand extends CliCommand {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.@Nullable CommandSpec spec;

  ScheduleCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(java.util.Objects.requireNonNull(spec).commandLine(),
        Messages.get("subcommand.missing", "add, list, pause, resume, remove"));
  }

  /** A service that manages schedules without firing them. */
  private Scheduling manager() {
    if (!(cli.store() instanceof ScheduleStore store)) {
      throw CliException.of(ExitCodes.USAGE, "schedule.noStore", Stores.describe(cli.storeLocation()));
    }
    return Scheduling.builder().orchestrator(cli.observer()).store(store).clock(Clock.systemUTC())
        .scheduler(Scheduler.none()).firing(false).refreshInterval(Duration.ZERO).build();
  }

  @Command(name = "add", mixinStandardHelpOptions = true)
  int add(@Parameters(index = "0", paramLabel = "<id>", descriptionKey = "arg.scheduleId") String id,
      @Parameters(index = "1", paramLabel = "<template | workflow.json>", descriptionKey = "arg.source") String source,
      @Option(names = "--cron", paramLabel = "<expression>", descriptionKey = "opt.cron") @Nullable String cron,
      @Option(names = "--once", paramLabel = "<cron>", descriptionKey = "opt.cronOnce") @Nullable String once,
      @Option(names = "--at", paramLabel = "<instant>", descriptionKey = "opt.at") @Nullable String at,
      @Option(names = "--zone", paramLabel = "<zone>", descriptionKey = "opt.zone") @Nullable String zone,
      @Option(names = "--misfire", paramLabel = "<policy>", defaultValue = "once", descriptionKey = "opt.misfire")
      String misfire,
      @Option(names = {"-P", "--param"}, paramLabel = "<key=value>", descriptionKey = "opt.param")
      @Nullable Map<String, String> params) {
    Map<String, String> values = params == null ? Map.of() : params;
    int given = (cron == null ? 0 : 1) + (once == null ? 0 : 1) + (at == null ? 0 : 1);
    if (given > 1) {
      throw CliException.of(ExitCodes.USAGE, "schedule.oneTrigger");
    }
    String project = cli.project();
    ZoneId zoneId = null;
    if (zone != null) {
      try {
        zoneId = ZoneId.of(zone);
      } catch (RuntimeException e) {
        throw CliException.wrap(e, ExitCodes.USAGE, "schedule.badZone", Texts.cut(zone));
      }
    }
    Template t = Workflows.template(cli, source);
    BoundTemplate bound = Workflows.bind(t, values);
    ZoneId local = zoneId != null ? zoneId
        : cli.store().project(project).map(dev.orchestrator.project.Project::zone).orElse(cli.config().timeZone());
    Trigger trigger = given == 0 ? fromTasks(t, bound) : fromOptions(cron, once, at, local);
    Schedule.Builder b = Schedule.builder().id(id).project(project).workflow(bound.workflow())
        .params(bound.values()).trigger(trigger).misfire(misfire(misfire));
    if (zoneId != null) {
      b.zone(zoneId);
    }
    try (Scheduling s = manager()) {
      Schedule added = s.add(b.build());
      ScheduleStatus status = s.list(cli.project()).stream().filter(x -> x.schedule().id().equals(added.id()))
          .findFirst().orElseThrow();
      if (cli.json()) {
        cli.printJson(row(status));
      } else {
        cli.say("schedule.added", added.id(), describe(added.trigger()), added.zone(),
            status.nextFire() == null ? Messages.get("schedule.never") : status.nextFire());
      }
    } catch (IllegalArgumentException e) {
      // A cron that does not parse, a missing parameter: the command line was wrong.
      throw CliException.wrap(e, ExitCodes.USAGE, "schedule.refused", Texts.cutIn(e.getMessage(), id));
    } catch (IllegalStateException e) {
      // The id is taken: refused in the current state.
      throw CliException.wrap(e, ExitCodes.REFUSED, "schedule.refused", Texts.cutIn(e.getMessage(), id));
    }
    return ExitCodes.OK;
  }

  /** The trigger of whichever of {@code --cron}, {@code --once} and {@code --at} was given. */
  private static Trigger fromOptions(@Nullable String cron, @Nullable String once, @Nullable String at, ZoneId zone) {
    if (at != null) {
      return Trigger.at(instant(at, zone));
    }
    try {
      return cron != null ? Trigger.cron(cron) : Trigger.cron(java.util.Objects.requireNonNull(once, "once"), false);
    } catch (RuntimeException e) {
      throw CliException.wrap(e, ExitCodes.USAGE, "schedule.badTrigger",
          Texts.cutIn(e.getMessage(), cron != null ? cron : String.valueOf(once)));
    }
  }

  /**
   * {@code --at}: an instant ({@code 2026-12-01T09:00:00Z}, {@code 2026-12-01T10:00+01:00}), or a local date and
   * time read in {@code zone} ({@code 2026-12-01T09:00}, {@code "2026-12-01 09:00"}).
   */
  static Instant instant(String text, ZoneId zone) {
    String t = text.strip();
    try {
      return Instant.parse(t);
    } catch (java.time.format.DateTimeParseException notInstant) {
      try {
        return java.time.OffsetDateTime.parse(t).toInstant();
      } catch (java.time.format.DateTimeParseException notOffset) {
        try {
          return java.time.LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant();
        } catch (java.time.format.DateTimeParseException notLocal) {
          throw CliException.wrap(notLocal, ExitCodes.USAGE, "schedule.badAt", Texts.cut(text), zone);
        }
      }
    }
  }

  /**
   * The trigger the template's tasks ask for with the roadmap's {@code "schedule"} and {@code "repeat"}, when no
   * option gives one. A schedule runs the whole workflow, so the tasks that carry one must agree.
   */
  private static Trigger fromTasks(Template t, BoundTemplate bound) {
    java.util.Set<Trigger> distinct = new java.util.HashSet<>(bound.triggers().values());
    if (distinct.isEmpty()) {
      throw CliException.of(ExitCodes.USAGE, "schedule.noTrigger", t.id());
    }
    if (distinct.size() > 1) {
      throw CliException.of(ExitCodes.USAGE, "schedule.tasksDisagree", t.id(),
          new java.util.TreeMap<>(bound.schedules()));
    }
    return distinct.iterator().next();
  }

  private static MisfirePolicy misfire(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("skip")) {
      return MisfirePolicy.skip();
    }
    if (t.equals("once")) {
      return MisfirePolicy.runOnce();
    }
    if (t.startsWith("all:")) {
      return MisfirePolicy.runAll(Durations.parse("--misfire", t.substring(4)));
    }
    throw CliException.of(ExitCodes.USAGE, "schedule.badMisfire", text);
  }

  @Command(name = "list", mixinStandardHelpOptions = true)
  int list() {
    try (Scheduling s = manager()) {
      List<ScheduleStatus> all = s.list(cli.project());
      if (cli.json()) {
        List<Map<String, Object>> rows = new ArrayList<>();
        all.forEach(x -> rows.add(row(x)));
        cli.printJson(rows);
        return ExitCodes.OK;
      }
      if (all.isEmpty()) {
        cli.say("schedule.none", cli.project());
        return ExitCodes.OK;
      }
      List<List<String>> rows = new ArrayList<>();
      for (ScheduleStatus x : all) {
        String next = x.problem() != null ? Messages.get("schedule.cannotFire")
            : x.nextFire() == null ? "-" : x.nextFire().toString();
        rows.add(List.of(x.schedule().id(), x.schedule().workflow().name(), describe(x.schedule().trigger()),
            String.valueOf(x.schedule().zone()), Messages.get(x.schedule().paused() ? "schedule.statePaused"
                : "schedule.stateActive"), next));
      }
      cli.out().print(Tables.render(List.of(Messages.get("table.schedule"), Messages.get("table.workflow"),
          Messages.get("table.trigger"), Messages.get("table.zone"), Messages.get("table.state"),
          Messages.get("table.nextFire")), rows));
      for (ScheduleStatus x : all) {
        if (x.problem() != null) {
          cli.say("schedule.problem", x.schedule().id(), x.problem());
        }
      }
    }
    return ExitCodes.OK;
  }

  /** {@code cron "0 9 * * *"}, {@code cron "0 9 * * *" once}, {@code at 2026-12-01T09:00:00Z}. */
  static String describe(Trigger t) {
    if (t instanceof Trigger.Cron c) {
      return "cron \"" + c.expression() + "\"" + (c.repeat() ? "" : " once");
    }
    return "at " + ((Trigger.Once) t).at();
  }

  private static Map<String, Object> row(ScheduleStatus x) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", x.schedule().id());
    m.put("project", x.schedule().project());
    m.put("workflow", x.schedule().workflow().name());
    m.put("trigger", describe(x.schedule().trigger()));
    m.put("zone", String.valueOf(x.schedule().zone()));
    m.put("paused", x.schedule().paused());
    m.put("nextFire", x.nextFire() == null ? null : x.nextFire().toString());
    m.put("lastFire", x.lastFire() == null ? null : x.lastFire().fireTime().toString());
    m.put("problem", x.problem());
    return m;
  }

  @Command(name = "pause", mixinStandardHelpOptions = true)
  int pause(@Parameters(paramLabel = "<id>", descriptionKey = "arg.scheduleId") String id) {
    return change(id, "schedule.paused", s -> s.pause(id));
  }

  @Command(name = "resume", mixinStandardHelpOptions = true)
  int resume(@Parameters(paramLabel = "<id>", descriptionKey = "arg.scheduleId") String id) {
    return change(id, "schedule.resumed", s -> s.resume(id));
  }

  @Command(name = "remove", mixinStandardHelpOptions = true)
  int remove(@Parameters(paramLabel = "<id>", descriptionKey = "arg.scheduleId") String id) {
    return change(id, "schedule.removed", s -> {
      if (!s.remove(id)) {
        throw new IllegalArgumentException("there is no schedule '" + id + "'");
      }
    });
  }

  private int change(String id, String done, java.util.function.Consumer<Scheduling> action) {
    // A schedule of the current project, like those `schedule list` shows; in an archived one it is refused.
    String project = cli.project();
    if (cli.store() instanceof ScheduleStore store
        && store.find(id).filter(x -> !x.project().equals(project)).isPresent()) {
      throw CliException.of(ExitCodes.NOT_FOUND, "schedule.notFound", Texts.cut(id),
          Messages.get("schedule.otherProject", project));
    }
    try (Scheduling s = manager()) {
      action.accept(s);
    } catch (IllegalArgumentException e) {
      throw CliException.wrap(e, ExitCodes.NOT_FOUND, "schedule.notFound", id, e.getMessage());
    }
    cli.say(done, id);
    return ExitCodes.OK;
  }
}
