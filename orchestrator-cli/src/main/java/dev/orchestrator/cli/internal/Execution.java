package dev.orchestrator.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.workflow.Workflow;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs in the foreground: submitting a new one to an engine of this process, and following a run until it finishes
 * (with the progress display and Ctrl-C), whether this process executes it or another engine does.
 */
final class Execution {
  private static final Logger log = LoggerFactory.getLogger(Execution.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How often the progress of a run executed elsewhere is read from the store. */
  private static final Duration POLL = Duration.ofMillis(300);

  private Execution() {}

  /**
   * Submits a workflow to an engine of this process that claims no other run: it executes this one from now on,
   * under a lease, until the run finishes or the process ends.
   */
  static Run submit(Cli cli, Workflow workflow, Map<String, String> params, String source) {
    String project = cli.project();
    checkWritable(cli, project);
    Orchestrator o = cli.executor(Cli.engineName("run"), false, null);
    try {
      Run run = o.submit(project, workflow, params);
      writeMeta(cli, run.id(), source);
      return run;
    } catch (dev.orchestrator.workflow.InvalidWorkflowException e) {
      throw CliException.wrap(e, ExitCodes.USAGE, "workflow.params", source, e.getMessage());
    } catch (IllegalStateException e) {
      throw CliException.wrap(e, ExitCodes.REFUSED, "refused", e.getMessage());
    }
  }

  /** Refuses a run in an archived project before anything is stored. */
  static void checkWritable(Cli cli, String project) {
    cli.store().project(project).ifPresent(p -> {
      if (p.archived()) {
        throw CliException.of(ExitCodes.REFUSED, "project.archivedReadOnly", project);
      }
    });
  }

  /** How long a comparison sampled as the run ended may take to start. */
  private static final java.time.Duration COMPARISONS_STARTING = java.time.Duration.ofSeconds(5);

  /**
   * Follows a run in the foreground until it finishes: the live display, Ctrl-C asks whether to cancel. Returns the
   * exit code: 0 when it succeeded, 1 when it failed or was cancelled, 130 when Ctrl-C cancelled it.
   *
   * @param here whether an engine of this process executes the run: then its events arrive as they happen and the
   *     simulated instances are this process's; else they are read from the store as another engine writes them
   */
  static int follow(Cli cli, Run run, boolean here) {
    Set<String> simulated = new LinkedHashSet<>(here ? cli.simulatedNames() : simulatedOf(cli, run.id()));
    CompletableFuture<RunSnapshot> done = run.completion();
    AtomicBoolean interrupted = new AtomicBoolean();
    Console console = System.console();
    Conversation conversation = cli.interactive() && console != null ? new Conversation(console, cli.out()) : null;
    Runnable onInterrupt = () -> cancelOnInterrupt(cli, run, interrupted, conversation);
    RunSnapshot snapshot;
    if (cli.json()) {
      // Standard output is for the JSON: the questions, and how to answer them, go to standard error.
      dev.orchestrator.event.EventSubscriber questions = e -> {
        if (e instanceof InputRequestedEvent q) {
          cli.err().println(Messages.get("progress.question", q.taskId(), q.question(), q.questionId()));
          cli.err().flush();
        }
      };
      try (Run.Subscription sub = here ? run.subscribe(questions)
              : StoreEventFeed.start(cli.store(), run.project(), run.id(), questions, POLL);
          Interrupts i = Interrupts.install(onInterrupt)) {
        snapshot = join(done);
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("run", snapshot.run());
      json.put("tasks", snapshot.tasks());
      json.put("cost", snapshot.cost());
      json.put("costBasis", snapshot.costBasis());
      json.put("simulated", simulated);
      cli.printJson(json);
    } else {
      cli.say("run.started", run.id(), snapshot(run).run().workflow(), run.project());
      if (here) {
        cli.out().println(cli.simulationLine());
      }
      Orchestrator engine = here && conversation != null ? executorOf(cli, run) : null;
      // At a terminal, questions are asked inline; elsewhere (or for a run another process executes) the display
      // says how to answer them from another terminal.
      boolean inline = engine != null;
      try (Progress p = new Progress(cli, run, simulated, Clock.systemUTC(), inline);
          InlineQuestions q = inline ? new InlineQuestions(cli, run, engine, conversation, p) : null;
          Run.Subscription sub = here ? run.subscribe(e -> onEvent(p, q, e))
              : StoreEventFeed.start(cli.store(), run.project(), run.id(), e -> onEvent(p, q, e), POLL);
          Interrupts i = Interrupts.install(onInterrupt)) {
        if (conversation != null) {
          conversation.onPrompt(p::hold);
        }
        p.start();
        if (q != null) {
          q.start();
        }
        snapshot = join(done);
        if (sub instanceof StoreEventFeed feed) {
          feed.flush(); // the run's last events, written before it finished, may not have been read yet
        }
        p.finish(snapshot);
      }
      printOutputs(cli, snapshot);
      cli.say("run.finished." + snapshot.status().name().toLowerCase(java.util.Locale.ROOT), run.id(),
          Tables.cost(snapshot.cost(), snapshot.costBasis()));
      if (!simulated.isEmpty()) {
        cli.out().println(cli.simulationLine());
      }
    }
    if (interrupted.get()) {
      return ExitCodes.INTERRUPTED;
    }
    if (here) {
      awaitComparisons(cli);
    }
    return snapshot.status() == RunStatus.SUCCEEDED ? ExitCodes.OK : ExitCodes.NOT_SUCCEEDED;
  }

  /**
   * Waits for the shadow comparisons this process's engines started (docs/learning.md), which would otherwise stay
   * in the store unfinished until a worker takes them; Ctrl-C leaves them to a worker. Says so on standard error.
   */
  private static void awaitComparisons(Cli cli) {
    try {
      for (Orchestrator o : cli.executors()) {
        for (Run c : o.shadowComparisons(COMPARISONS_STARTING)) {
          cli.err().println(Messages.get("run.awaitComparison", c.id()));
          cli.err().flush();
          RunSnapshot s = join(c.completion());
          cli.err().println(Messages.get("run.comparisonFinished", c.id(), s.status(),
              Tables.cost(s.cost(), s.costBasis())));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void onEvent(Progress p, @org.jspecify.annotations.Nullable InlineQuestions q,
      dev.orchestrator.event.Event e) {
    p.onEvent(e);
    if (q != null) {
      q.onEvent(e);
    }
  }

  /** The engine of this process that executes the run (holds its lease), else the newest; null when none. */
  private static @org.jspecify.annotations.Nullable Orchestrator executorOf(Cli cli, Run run) {
    List<Orchestrator> all = cli.executors();
    String holder = Steering.holder(cli, run.project(), run.id());
    for (Orchestrator o : all) {
      if (o.engineName().equals(holder)) {
        return o;
      }
    }
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  private static RunSnapshot snapshot(Run run) {
    return run.snapshot();
  }

  private static RunSnapshot join(CompletableFuture<RunSnapshot> done) {
    try {
      return done.join();
    } catch (CompletionException e) {
      throw CliException.wrap(e.getCause() == null ? e : e.getCause(), ExitCodes.INTERNAL, "unexpected",
          String.valueOf(e.getMessage()));
    }
  }

  /** The output of the last task that produced one (tasks are in topological order): what the workflow made. */
  private static void printOutputs(Cli cli, RunSnapshot s) {
    for (int i = s.tasks().size() - 1; i >= 0; i--) {
      var t = s.tasks().get(i);
      if (t.output() != null) {
        cli.out().println();
        cli.say("run.output", t.taskId());
        cli.out().println(t.output());
        cli.out().println();
        return;
      }
    }
  }

  /**
   * Ctrl-C: at a terminal, asks first (cutting in before a question being asked) and goes on after N, with nothing
   * harmed: the agents run in sessions of their own and never saw the signal. Elsewhere, cancels.
   */
  private static void cancelOnInterrupt(Cli cli, Run run, AtomicBoolean interrupted,
      @org.jspecify.annotations.Nullable Conversation conversation) {
    if (conversation != null) {
      String answer;
      try {
        answer = conversation.interject(Messages.get("interrupt.ask", run.id()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (answer == null || !answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith(
          Messages.get("interrupt.yes"))) {
        cli.say("interrupt.continue");
        return;
      }
    }
    interrupted.set(true);
    cli.say("interrupt.cancelling", run.id());
    run.cancel(System.getProperty("user.name", "cli"), Messages.get("interrupt.reason"));
  }

  // ---------------------------------------------------------------- run metadata beside the store

  /** Records which instances were simulated for the run, so later commands can say so. */
  static void writeMeta(Cli cli, String runId, String source) {
    Path file = cli.dataDir().resolve("runs").resolve(runId + ".json");
    ObjectNode n = JSON.createObjectNode();
    n.put("source", source);
    n.putPOJO("simulated", cli.simulatedNames());
    try {
      AtomicFiles.write(file, n.toPrettyString());
    } catch (IOException e) {
      log.warn("Run metadata not written (run={}, file={})", runId, file, e);
    }
  }

  /** The instances that were simulated for a run, as recorded when it started; empty when unknown. */
  static Set<String> simulatedOf(Cli cli, String runId) {
    Path file = cli.dataDir().resolve("runs").resolve(runId + ".json");
    Set<String> out = new LinkedHashSet<>();
    if (Files.exists(file)) {
      try {
        JsonNode n = JSON.readTree(file.toFile());
        n.path("simulated").forEach(x -> out.add(x.asText()));
      } catch (IOException e) {
        log.debug("Run metadata unreadable (file={})", file, e);
      }
    }
    return out;
  }

}
