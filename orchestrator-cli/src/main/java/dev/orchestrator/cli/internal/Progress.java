package dev.orchestrator.cli.internal;

import dev.orchestrator.core.WaitingReasons;
import dev.orchestrator.event.CostOverrunEvent;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.event.TaskCancelledEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.event.TaskPausedEvent;
import dev.orchestrator.event.TaskRetryScheduledEvent;
import dev.orchestrator.event.TaskSkippedEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live display of a run in the foreground. At a terminal it redraws the task table in place every second and
 * on each event; elsewhere (a pipe, a log file, a test) it prints one line per task change, so the output reads
 * well in a file. Thread-safe: events arrive on the engine's thread, ticks on the display's own.
 */
final class Progress implements AutoCloseable {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final Cli cli;
  private final Run run;
  private final Set<String> simulated;
  private final Clock clock;
  private final boolean live;
  private final boolean inline;
  private final ScheduledExecutorService ticker;
  /** Lines drawn by the last redraw; guarded by this. */
  private int drawn;
  /** Guarded by this. */
  private boolean finished;
  /** Whether the live table stays as it is, because a prompt is on the terminal below it; guarded by this. */
  private boolean held;
  /** "task#attempt" of the starts already printed; guarded by this. */
  private final java.util.Set<String> startsShown = new java.util.HashSet<>();

  /**
   * @param inline whether the run's questions are asked inline (at a terminal); else the live table is followed by
   *     each question and how to answer it from another terminal
   */
  Progress(Cli cli, Run run, Set<String> simulated, Clock clock, boolean inline) {
    this.inline = inline;
    this.cli = cli;
    this.run = run;
    this.simulated = simulated;
    this.clock = clock;
    this.live = cli.interactive();
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "orchestrator-progress");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    if (!live) {
      // The run was submitted before this display subscribed: show the calls that had already started.
      for (dev.orchestrator.run.TaskRecord t : run.snapshot().tasks()) {
        dev.orchestrator.run.Attempt a = t.lastAttempt();
        if (t.state() == dev.orchestrator.run.TaskState.RUNNING && a != null) {
          onEvent(new TaskStartedEvent(t.project(), t.runId(), t.taskId(), a.startedAt(),
              dev.orchestrator.run.TaskState.READY, a.provider(), a.number()));
        }
      }
    }
    if (live) {
      redraw();
      ticker.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
    }
  }

  void onEvent(Event e) {
    if (live) {
      if (e instanceof InputRequestedEvent && !inline) {
        synchronized (this) {
          if (!finished) {
            cli.out().println(describe(e));
            drawn = 0; // the table above stays; the next one is drawn below the question
          }
        }
      }
      redraw();
      return;
    }
    String line = describe(e);
    if (line != null) {
      synchronized (this) {
        if (e instanceof TaskStartedEvent s && !startsShown.add(s.taskId() + "#" + s.attempt())) {
          return;
        }
        if (!finished) {
          cli.out().println(TIME.format(e.at().atZone(ZoneId.systemDefault())) + "  " + line);
          cli.out().flush();
        }
      }
    }
  }

  private String provider(String name) {
    return simulated.contains(name) ? Messages.get("table.simulatedProvider", name) : name;
  }

  private String describe(Event e) {
    if (e instanceof TaskStartedEvent s) {
      return Messages.get("progress.started", s.taskId(), provider(s.provider()), s.attempt());
    } else if (e instanceof TaskSucceededEvent s) {
      return Messages.get("progress.succeeded", s.taskId(), provider(s.provider()),
          Tables.cost(s.cost(), s.costBasis()));
    } else if (e instanceof TaskFailedEvent f) {
      return Messages.get("progress.failed", f.taskId(), f.kind(), f.message());
    } else if (e instanceof TaskRetryScheduledEvent r) {
      return Messages.get("progress.retry", r.taskId(), r.kind(), Durations.format(r.delay()), r.nextAttempt());
    } else if (e instanceof TaskCancelledEvent c) {
      return Messages.get("progress.cancelled", c.taskId(), c.by(), c.reason());
    } else if (e instanceof TaskSkippedEvent s) {
      return Messages.get("progress.skipped", s.taskId(), s.upstream());
    } else if (e instanceof TaskPausedEvent p) {
      return Messages.get("progress.paused", p.taskId(), p.reason());
    } else if (e instanceof InputRequestedEvent q) {
      return Messages.get("progress.question", q.taskId(), q.question(), q.questionId());
    } else if (e instanceof CostOverrunEvent o) {
      return Messages.get("progress.overrun", o.taskId(), EventText.describe(o, simulated));
    }
    return null;
  }

  /**
   * Stops redrawing the live table while a prompt waits below it ({@code true}), or draws it again below what the
   * prompt left ({@code false}).
   */
  synchronized void hold(boolean hold) {
    held = hold;
    if (!hold) {
      drawn = 0; // the lines above are the prompt's now: the next tick draws afresh below them
    }
  }

  private synchronized void redraw() {
    if (finished || held) {
      return;
    }
    RunSnapshot s = run.snapshot();
    Instant now = clock.instant();
    String text = Tables.tasks(s, simulated, now, waiting(s, now)) + Tables.overall(s, now) + "\n";
    StringBuilder sb = new StringBuilder();
    if (drawn > 0) {
      sb.append("\033[").append(drawn).append('F').append("\033[J");
    }
    sb.append(text);
    drawn = (int) text.chars().filter(c -> c == '\n').count();
    cli.out().print(sb);
    cli.out().flush();
  }

  /**
   * Why the tasks that are not moving wait, from the store (a few reads a second); left out of very large runs,
   * whose table is too long to read anyway.
   */
  private Map<String, String> waiting(RunSnapshot s, Instant now) {
    if (s.tasks().size() > 200) {
      return Map.of();
    }
    try {
      return WaitingReasons.of(cli.store(), s, now, cli.defaultProvider());
    } catch (RuntimeException e) {
      return Map.of(); // the store is busy: the next tick says it
    }
  }

  /** Prints the final table once the run has finished. */
  void finish(RunSnapshot done) {
    ticker.shutdownNow();
    synchronized (this) {
      if (live && drawn > 0 && !held) {
        cli.out().print("\033[" + drawn + "F\033[J");
      }
      finished = true;
      Instant now = clock.instant();
      cli.out().println();
      cli.out().print(Tables.tasks(done, simulated, now));
      cli.out().println(Tables.overall(done, now));
      cli.out().flush();
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
