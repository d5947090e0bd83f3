package dev.orchestrator.cli.internal;

import dev.orchestrator.core.EventFeed;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.TaskEvent;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.Store;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * {@code logs --follow}: prints events as any process appends them to the store, read from its event stream
 * ({@link EventFeed}). For a run (or one of its tasks): the events so far, then each new one, until the run's
 * {@link RunFinishedEvent}. For a project: its new events, of every run, until Ctrl-C or SIGTERM. Text rows have the
 * columns of {@code logs} (widths fixed in advance, as rows are printed as they come; a project's rows add the run),
 * and {@code --json} prints one object per line: {@code {"run": ..., "type": ..., "event": {...}}}.
 */
final class LogFollower {
  /** The width of the RUN column in a project's rows: a run id's first characters, enough to tell runs apart. */
  private static final int SHORT_RUN = 8;
  private static final int TIME_WIDTH = StatusCommand.WHEN.format(java.time.LocalDateTime.of(2000, 1, 1, 0, 0))
      .length();

  private final Cli cli;
  private final Store store;
  private final Map<String, Set<String>> simulated = new HashMap<>();

  LogFollower(Cli cli) {
    this.cli = cli;
    this.store = cli.store();
  }

  /** Follows a run, or only {@code taskId}'s events in it (and the run's end); returns when the run has finished. */
  int followRun(RunRecord run, @Nullable String taskId) throws InterruptedException {
    // The position first, the history second: an event appended in between is in both, and is printed once.
    long from = store.lastEventSequence();
    List<Event> history = store.events(run.project(), run.id());
    List<String> taskIds = store.tasks(run.project(), run.id()).stream().map(TaskRecord::taskId).toList();
    int[] widths = {TIME_WIDTH, EventText.longestType(),
        Math.max(Messages.get("table.task").length(), taskIds.stream().mapToInt(String::length).max().orElse(0))};
    if (!cli.json()) {
      if (taskId == null) {
        cli.say("logs.run", run.id(), run.workflow(), run.status());
      } else {
        TaskRecord task = store.task(run.project(), run.id(), taskId).orElseThrow();
        cli.say("logs.task", task.taskId(), run.id(), task.title(), task.state());
      }
      print(Tables.row(List.of(Messages.get("table.time"), Messages.get("table.event"), Messages.get("table.task"),
          Messages.get("table.detail")), widths));
    }
    for (Event e : history) {
      if (shows(e, taskId)) {
        printRow(e, widths, false);
      }
    }
    RunRecord now = store.run(run.project(), run.id()).orElse(run);
    boolean ended = !history.isEmpty() && history.get(history.size() - 1) instanceof RunFinishedEvent;
    if (now.status() != RunStatus.RUNNING || ended) {
      return ExitCodes.OK;
    }
    List<Event> printed = new ArrayList<>(history);
    CountDownLatch finished = new CountDownLatch(1);
    try (EventFeed feed = EventFeed.builder(store).from(from).start(e -> {
      if (!e.project().equals(run.project()) || !e.runId().equals(run.id())) {
        return;
      }
      if (!printed.remove(e) && shows(e, taskId)) {
        printRow(e, widths, false);
      }
      if (e instanceof RunFinishedEvent) {
        finished.countDown();
      }
    })) {
      awaitStop(finished);
    }
    return ExitCodes.OK;
  }

  /** Follows every run of {@code project} from now until stopped. */
  int followProject(String project) throws InterruptedException {
    // Where "now" is, before saying that we follow: what is appended after the header is printed.
    long from = store.lastEventSequence();
    int[] widths = {TIME_WIDTH, SHORT_RUN, EventText.longestType(), 12};
    if (!cli.json()) {
      cli.say("logs.project", project);
      print(Tables.row(List.of(Messages.get("table.time"), Messages.get("table.run"), Messages.get("table.event"),
          Messages.get("table.task"), Messages.get("table.detail")), widths));
    }
    try (EventFeed feed = EventFeed.builder(store).from(from).start(e -> {
      if (e.project().equals(project)) {
        printRow(e, widths, true);
      }
    })) {
      awaitStop(new CountDownLatch(1));
    }
    return ExitCodes.OK;
  }

  /** Waits until {@code done} or Ctrl-C or SIGTERM. */
  private static void awaitStop(CountDownLatch done) throws InterruptedException {
    Thread hook = new Thread(done::countDown, "orchestrator-logs-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Interrupts i = Interrupts.install(done::countDown)) {
      done.await();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting (SIGTERM): the hook is what stopped us
      }
    }
  }

  private static boolean shows(Event e, @Nullable String taskId) {
    return taskId == null || e instanceof RunFinishedEvent || (e instanceof TaskEvent t && t.taskId().equals(taskId));
  }

  private void printRow(Event e, int[] widths, boolean withRun) {
    if (cli.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run", e.runId());
      m.put("type", EventText.type(e));
      m.put("event", e);
      print(Json.line(m));
      return;
    }
    Set<String> sim = simulated.computeIfAbsent(e.runId(), id -> id.isEmpty() ? Set.of()
        : Execution.simulatedOf(cli, id));
    List<String> cells = new ArrayList<>();
    cells.add(StatusCommand.WHEN.format(e.at().atZone(ZoneId.systemDefault())));
    if (withRun) {
      cells.add(e.runId().isEmpty() ? "-" : e.runId().substring(0, Math.min(SHORT_RUN, e.runId().length())));
    }
    cells.add(EventText.type(e));
    cells.add(EventText.task(e));
    cells.add(EventText.describe(e, sim));
    print(Tables.row(cells, widths));
  }

  private void print(String line) {
    cli.out().println(line);
    cli.out().flush();
  }
}
