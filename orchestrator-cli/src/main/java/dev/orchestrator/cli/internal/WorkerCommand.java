package dev.orchestrator.cli.internal;

import dev.orchestrator.Scheduler;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.core.schedule.Scheduling;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.RunRecoveredEvent;
import dev.orchestrator.event.RunSubmittedEvent;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.spi.store.ScheduleStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code worker}: one engine that executes the store's runs that no live engine holds (runs queued with
 * {@code run --cluster}, and the runs of processes that stopped, once their leases expire) and fires the store's
 * schedules, until stopped. Any number of workers, on any machines sharing the store, share the runs.
 */
@Command(name = "worker", mixinStandardHelpOptions = true)
final class WorkerCommand extends CliCommand {
  /** With {@code --once}: the worker stops when nothing became its own for this long and it executes nothing. */
  private static final Duration QUIET = Duration.ofSeconds(3);
  /** How long SIGTERM waits for the engine to give its runs up before the process ends anyway. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  @Option(names = "--once", descriptionKey = "opt.once")
  boolean once;

  /** Runs adopted, started and finished by this worker's engine; counted on its dispatch thread. */
  private final AtomicInteger executing = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  /** When a run last became this worker's or finished (monotonic nanoseconds), for {@code --once}. */
  private final AtomicLong lastChange = new AtomicLong(System.nanoTime());
  /** The timer of the schedules, when they are fired. */
  private Scheduler.@Nullable Owned scheduleTimer;

  WorkerCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() throws InterruptedException {
    String where = Stores.describe(cli.storeLocation());
    String name = Cli.engineName("worker");
    cli.say("worker.started", where, name);
    cli.say("worker.leases", Durations.format(cli.lease()));
    cli.out().println(cli.simulationLine());
    // Relays every process's events and sends due notifications while the worker lives.
    cli.notifications();
    // Its first claim happens while it is built: the listener sees the runs it adopts from the start.
    Orchestrator engine = cli.executor(name, true, this::onEvent);
    if (once) {
      awaitQuiet();
      engine.close();
      cli.say("worker.doneOnce", finished.get());
      return ExitCodes.OK;
    }
    Scheduling schedules = schedules(engine);
    if (schedules != null) {
      // A schedule stored with an expression that is no longer accepted never fires: say so where it would.
      schedules.list().stream().filter(x -> x.problem() != null)
          .forEach(x -> cli.say("schedule.problem", x.schedule().id(), x.problem()));
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM: the process ends once the hooks return, so the hook waits (bounded) for the engine to close.
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        stopped.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "orchestrator-worker-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Interrupts i = Interrupts.install(stop::countDown)) {
      stop.await();
    } finally {
      cli.say("worker.stopping", finished.get(), executing.get() - finished.get());
      if (schedules != null) {
        schedules.close();
        java.util.Objects.requireNonNull(scheduleTimer).close();
      }
      // Gives up the runs with nothing in flight at once; the others when their leases expire.
      engine.close();
      stopped.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The process is ending (SIGTERM): the hook runs and returns now.
    }
    return ExitCodes.OK;
  }

  /** One line per run this worker takes, starts and finishes. Runs on the engine's dispatch thread. */
  private void onEvent(Event e) {
    if (e instanceof RunRecoveredEvent r) {
      executing.incrementAndGet();
      lastChange.set(System.nanoTime());
      String workflow = cli.store().run(r.project(), r.runId()).map(RunRecord::workflow).orElse("?");
      cli.say("worker.adopted", r.runId(), r.project(), workflow);
    } else if (e instanceof RunSubmittedEvent s) {
      executing.incrementAndGet();
      lastChange.set(System.nanoTime());
      cli.say("worker.submitted", s.runId(), s.project(), s.workflow());
    } else if (e instanceof RunFinishedEvent f) {
      finished.incrementAndGet();
      lastChange.set(System.nanoTime());
      cli.say("worker.finished", f.runId(), f.status(), Tables.money(f.cost()));
    }
  }

  /**
   * {@code --once}: waits until every run this worker took has finished and none became its own for {@link #QUIET}
   * (it claims about every second, so a run that waits for an engine it can execute would have).
   */
  private void awaitQuiet() throws InterruptedException {
    CountDownLatch quiet = new CountDownLatch(1);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "orchestrator-worker-once");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      if (finished.get() >= executing.get() && System.nanoTime() - lastChange.get() >= QUIET.toNanos()) {
        quiet.countDown();
      }
    }, 200, 200, TimeUnit.MILLISECONDS);
    try (Interrupts i = Interrupts.install(quiet::countDown)) {
      quiet.await();
    } finally {
      timer.shutdownNow();
    }
  }

  /** Fires the store's schedules into the worker's engine; null on a store that keeps no schedules. */
  private @Nullable Scheduling schedules(Orchestrator engine) {
    if (!(cli.store() instanceof ScheduleStore store)) {
      return null;
    }
    Scheduler.Owned timer = Scheduler.daemon("orchestrator-worker-schedules");
    scheduleTimer = timer;
    cli.say("worker.scheduling");
    return Scheduling.builder().orchestrator(engine).store(store).clock(Clock.systemUTC()).scheduler(timer)
        .build();
  }
}
