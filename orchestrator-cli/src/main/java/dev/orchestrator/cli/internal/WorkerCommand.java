package dev.orchestrator.cli.internal;

import dev.orchestrator.run.RunRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code worker --store <postgres url>}: executes the store's runs that no live process executes, until stopped.
 * Without the store's lease-based claiming (not built yet) only one worker may serve a store at a time.
 */
@Command(name = "worker", mixinStandardHelpOptions = true)
final class WorkerCommand extends CliCommand {
  private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

  @Option(names = "--poll", paramLabel = "<duration>", defaultValue = "5s", descriptionKey = "opt.poll")
  String poll = "5s";

  @Option(names = "--once", descriptionKey = "opt.once")
  boolean once;

  /** Runs this worker has adopted; guarded by itself. */
  private final Set<String> adopted = new LinkedHashSet<>();
  private final List<CompletableFuture<?>> running = new ArrayList<>();

  WorkerCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() throws InterruptedException {
    Duration every = Durations.parse("--poll", poll);
    String where = Stores.describe(cli.storeLocation());
    cli.say("worker.started", where);
    cli.say("worker.single");
    cli.out().println(cli.simulationLine());
    // Relays every process's events and sends due notifications while the worker lives.
    cli.notifications();
    int first = adoptOrphans();
    if (once) {
      CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0])).join();
      cli.say("worker.doneOnce", first);
      return ExitCodes.OK;
    }
    dev.orchestrator.core.Worker claims = claimWorker();
    dev.orchestrator.core.schedule.Scheduling schedules = schedules();
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(stop::countDown, "orchestrator-worker-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "orchestrator-worker-poll");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        adoptOrphans();
      } catch (RuntimeException e) {
        log.warn("Adopting runs failed; trying again later (store={})", where, e);
      }
    }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    try (Interrupts i = Interrupts.install(stop::countDown)) {
      stop.await();
    } finally {
      timer.shutdownNow();
      if (claims != null) {
        claims.close();
      }
      if (schedules != null) {
        schedules.close();
      }
    }
    cli.say("worker.stopping", adopted.size());
    return ExitCodes.OK;
  }

  /**
   * On a store shared by many workers, a worker that claims queued tasks (`run --cluster`) with leases, beside the
   * adoption of orphaned runs; null on a store that cannot.
   */
  private dev.orchestrator.core.@org.jspecify.annotations.Nullable Worker claimWorker() {
    if (!(cli.store() instanceof dev.orchestrator.spi.store.ClaimStore store)) {
      return null;
    }
    Config c = cli.config();
    ProviderSetup s = cli.setup();
    if (!s.missingKeys().isEmpty()) {
      var first = s.missingKeys().entrySet().iterator().next();
      throw CliException.of(ExitCodes.CONFIG, "provider.noKey", first.getKey(), first.getValue(), c.file());
    }
    dev.orchestrator.core.Worker.Builder b = dev.orchestrator.core.Worker.builder().store(store)
        .environment(cli.env()).budgetZone(c.timeZone()).retryPolicy(c.retry())
        .maxConcurrentCalls(c.maxConcurrentCalls());
    for (dev.orchestrator.spi.PluginConfig pc : s.configs()) {
      b.provider(pc);
    }
    String def = c.defaultProvider() != null ? c.defaultProvider()
        : c.instances().isEmpty() ? null : c.instances().keySet().iterator().next();
    if (def != null) {
      b.defaultProvider(def);
    }
    dev.orchestrator.core.Worker w = b.build();
    cli.say("worker.claiming", w.id());
    return w;
  }

  /** The engine that runs what the schedules fire, in this process; null before {@link #schedules()}. */
  private volatile dev.orchestrator.core.@org.jspecify.annotations.Nullable Orchestrator firing;

  /**
   * A service that fires the store's schedules into an engine of this process; null on a store without schedules.
   * Each fired run is locked for this process at once, so other workers do not adopt it.
   */
  private dev.orchestrator.core.schedule.@org.jspecify.annotations.Nullable Scheduling schedules() {
    if (!(cli.store() instanceof dev.orchestrator.spi.store.ScheduleStore store)) {
      return null;
    }
    dev.orchestrator.core.Orchestrator engine = cli.executor(ScopedStore.observer(cli.store(), cli.commands()));
    firing = engine;
    engine.subscribe(e -> {
      if (e instanceof dev.orchestrator.event.RunSubmittedEvent s) {
        cli.locks().tryOwn(s.runId());
      }
    });
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "orchestrator-worker-schedules");
      t.setDaemon(true);
      return t;
    });
    dev.orchestrator.Scheduler scheduler = (work, delay) -> {
      java.util.concurrent.ScheduledFuture<?> f = timer.schedule(work, Math.max(0, delay.toNanos()),
          TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
    cli.say("worker.scheduling");
    return dev.orchestrator.core.schedule.Scheduling.builder().orchestrator(engine).store(store)
        .clock(java.time.Clock.systemUTC()).scheduler(scheduler).build();
  }

  /** Adopts every unfinished run no live process executes; returns how many. */
  private synchronized int adoptOrphans() {
    int n = 0;
    for (RunRecord r : cli.store().unfinishedRuns()) {
      dev.orchestrator.core.Orchestrator own = firing;
      if (adopted.contains(r.id()) || cli.locks().isExecuting(r.id())
          || (own != null && own.run(r.project(), r.id()).isPresent())) {
        continue;
      }
      Execution.Executing ex = Execution.adopt(cli, r);
      if (ex != null) {
        adopted.add(r.id());
        n++;
        cli.say("worker.adopted", r.id(), r.project(), r.workflow());
        running.add(ex.run().completion().whenComplete((s, e) -> {
          cli.locks().release(r.id());
          if (s != null) {
            cli.say("worker.finished", r.id(), s.status(), Tables.money(s.cost()));
          }
        }));
      }
    }
    return n;
  }
}
