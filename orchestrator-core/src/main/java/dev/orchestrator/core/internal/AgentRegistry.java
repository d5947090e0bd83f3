package dev.orchestrator.core.internal;

import dev.orchestrator.spi.ChildProcesses;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.store.AgentProcess;
import dev.orchestrator.spi.store.Store;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent processes that one engine's providers started, recorded in the store under the engine's name, so that
 * none outlives its owner: an engine that takes over a run ends the processes that the run's previous owners left on
 * this host (checking pid and start time, so that a reused pid is never hit), and an engine can end its own at exit.
 * A process on another host cannot be ended from here: it is logged and its record kept for that host. Thread-safe.
 */
public final class AgentRegistry implements ChildProcesses {
  private static final Logger log = LoggerFactory.getLogger(AgentRegistry.class);
  /** How long a process tree gets to end after the polite signal before it is killed. */
  static final Duration GRACE = Duration.ofSeconds(3);
  private static final String HOST = hostName();

  private final Store store;
  private final String owner;
  /** This engine's live agent processes and their records. */
  private final Map<ProcessHandle, AgentProcess> live = new ConcurrentHashMap<>();

  public AgentRegistry(Store store, String owner) {
    this.store = store;
    this.owner = owner;
  }

  /** This machine's host name, as recorded with each process. */
  public static String host() {
    return HOST;
  }

  @Override
  public Registration started(CallContext call, ProcessHandle process) {
    Optional<Instant> start = process.info().startInstant();
    if (start.isEmpty()) {
      log.debug("Agent process not recorded: its start time is unknown (pid={})", process.pid());
      return () -> { };
    }
    AgentProcess record = AgentProcess.builder().project(call.project()).runId(call.runId())
        .taskId(call.taskId()).attempt(call.attempt()).host(HOST).pid(process.pid()).processStart(start.get())
        .owner(owner).build();
    live.put(process, record);
    try {
      store.saveAgentProcess(record);
    } catch (RuntimeException e) {
      log.warn("Agent process not recorded in the store; it is ended with this engine only (run={}, task={}, pid={}):"
          + " {}", call.runId(), call.taskId(), process.pid(), e.toString());
    }
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        live.remove(process);
        forget(record);
      }
    };
  }

  /**
   * Ends the recorded processes of a run that other engines own, before this engine executes it: on this host each
   * one whose pid still names the same process (same start time) is ended with its whole tree, and its record
   * removed; one on another host is logged and its record kept.
   */
  public void endOthers(String project, String runId) {
    List<AgentProcess> recorded;
    try {
      recorded = store.agentProcesses(project, runId);
    } catch (RuntimeException e) {
      log.warn("Agent processes of a run taken over not read (project={}, run={}): {}", project, runId, e.toString());
      return;
    }
    endOthers(project, runId, recorded);
  }

  /** As {@link #endOthers(String, String)}, with the run's processes as the store recorded them. */
  public void endOthers(String project, String runId, List<AgentProcess> recorded) {
    for (AgentProcess p : recorded) {
      if (p.owner().equals(owner)) {
        continue;
      }
      if (!p.host().equals(HOST)) {
        log.warn("Agent process of a run taken over runs on another host and cannot be ended from here (project={}, "
            + "run={}, task={}, host={}, pid={}, owner={})", project, runId, p.taskId(), p.host(), p.pid(), p.owner());
        continue;
      }
      Optional<ProcessHandle> h = ProcessHandle.of(p.pid())
          .filter(x -> x.info().startInstant().map(s -> sameStart(s, p.processStart())).orElse(false));
      if (h.isPresent()) {
        log.warn("Ending the agent process of a run taken over (project={}, run={}, task={}, attempt={}, pid={}, "
            + "owner={})", project, runId, p.taskId(), p.attempt(), p.pid(), p.owner());
        endTree(h.get(), GRACE);
      }
      forget(p);
    }
  }

  /** Ends this engine's live agent processes (at exit): each tree is asked to end, then killed after the grace. */
  public void endOwn(Duration grace) {
    List<ProcessHandle> all = new ArrayList<>(live.keySet());
    for (ProcessHandle h : all) {
      endTree(h, grace);
      AgentProcess r = live.remove(h);
      if (r != null) {
        forget(r);
      }
    }
  }

  /**
   * Ends a process and every descendant it has: asks them all to end (SIGTERM), waits at most {@code grace} for each,
   * then kills what is left. The descendants are listed first, as they are re-parented once the process has gone.
   */
  public static void endTree(ProcessHandle root, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
    tree.add(0, root);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        break;
      } catch (ExecutionException e) {
        log.debug("Waiting for a process failed (pid={})", h.pid(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (ProcessHandle h : tree) {
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
  }

  /** The store keeps microseconds and the system reports clock ticks: compared to the millisecond. */
  private static boolean sameStart(Instant a, Instant b) {
    return a.truncatedTo(ChronoUnit.MILLIS).equals(b.truncatedTo(ChronoUnit.MILLIS));
  }

  private void forget(AgentProcess record) {
    try {
      store.deleteAgentProcess(record);
    } catch (RuntimeException e) {
      log.debug("Agent process record not removed (run={}, pid={}): {}", record.runId(), record.pid(), e.toString());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | SecurityException e) {
      return "localhost";
    }
  }
}
