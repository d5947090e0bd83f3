package dev.orchestrator.vcs;

import dev.orchestrator.project.Project;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.vcs.internal.Repository;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Version control for the tasks that change files: each runs in a git worktree of its own, on the branch
 * {@code orchestrator/<run>/<task>} made from the run's base commit, and its result is committed with trailers that
 * say which run, task, provider, model, prompt and cost made it. Under {@link Integration#MERGE} the task branches are
 * merged into the run's branch {@code orchestrator/<run>/@run}; {@link #rollbackTask} and {@link #rollbackRun} undo a
 * task's commits or a whole run. Each commit is recorded as a {@link dev.orchestrator.event.TaskCommittedEvent}.
 *
 * <p>It hooks into the engine as a provider decorator, so the engine needs nothing else:
 *
 * <pre>{@code
 * Store store = new InMemoryStore();
 * VersionControl vcs = VersionControl.builder(store)
 *     .project("default", VcsSettings.builder(Path.of("/src/site")).build())
 *     .build();
 * try (vcs; Orchestrator o = Orchestrator.builder().store(store).provider(agent)
 *     .decorateProviders(vcs).build()) {
 *   o.submit("default", workflow).await();
 * }
 * }</pre>
 *
 * <p>A project's settings come from the builder's {@link Builder#project} or, for every other project, from its
 * settings in the store ({@link VcsSettings#fromProject}), which every process reads alike. The state is git's own:
 * the run's base commit is the branch {@code orchestrator/<run>/@base}, the run's integration is
 * {@code orchestrator/<run>/@run}, results are commits on normal branches; no hidden ref is made. When it is built it
 * removes the worktrees that a killed process left in the repositories it knows ({@link #cleanUp()}).
 *
 * <p>Git runs on threads of its own ({@code orchestrator-vcs-N}), never on the engine's. Thread-safe.
 *
 * @since 0.1
 */
public final class VersionControl implements UnaryOperator<AiProvider>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VersionControl.class);

  private final Store store;
  private final Map<String, VcsSettings> projects;
  private final String host;
  private final long pid;
  private final ExecutorService executor;
  private final Map<Path, Repository> repositories = new ConcurrentHashMap<>();
  /** Stored project settings are read again after this long, so each call does not read the store. */
  private static final long SETTINGS_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);
  private final Map<String, Cached> stored = new ConcurrentHashMap<>();
  private final TaskWork work;

  private VersionControl(Builder b) {
    this.store = b.store;
    this.projects = Map.copyOf(b.projects);
    this.host = hostName();
    this.pid = b.pid;
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "orchestrator-vcs-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.work = new TaskWork(store, b.clock, this::settings, this::repository);
  }

  /** Starts version control over {@code store}, the store the engine uses (commit events go there). */
  public static Builder builder(Store store) {
    return new Builder(store);
  }

  /** Wraps a provider: what {@code Orchestrator.Builder.decorateProviders(vcs)} calls for every instance. */
  @Override
  public AiProvider apply(AiProvider provider) {
    Objects.requireNonNull(provider, "provider");
    return provider instanceof VcsProvider ? provider : new VcsProvider(provider, work, this::execute);
  }

  /** Runs git work on the git threads; once closed, on the caller's thread, so no call is left without an end. */
  private void execute(Runnable work) {
    try {
      executor.execute(work);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      work.run();
    }
  }

  /**
   * A project's version control: the builder's setting, else its settings in the store (read again at most every
   * five seconds, so a change applies within that); empty when it has none.
   *
   * @throws IllegalArgumentException when the stored settings are not valid
   */
  public Optional<VcsSettings> settings(String project) {
    VcsSettings s = projects.get(project);
    if (s != null) {
      return Optional.of(s);
    }
    long now = System.nanoTime();
    Cached c = stored.get(project);
    if (c != null && now - c.readAt() < SETTINGS_TTL_NANOS) {
      return c.settings();
    }
    Optional<VcsSettings> read = store.project(project).flatMap(VcsSettings::fromProject);
    stored.put(project, new Cached(read, now));
    return read;
  }

  /** A project's stored settings, as read at {@code readAt} (System.nanoTime). */
  private record Cached(Optional<VcsSettings> settings, long readAt) {}

  Repository repository(Path path) {
    Path key = path.toAbsolutePath().normalize();
    Repository known = repositories.get(key);
    if (known != null) {
      return known;
    }
    Repository opened = Repository.open(key, host, pid);
    Repository raced = repositories.putIfAbsent(key, opened);
    if (raced != null) {
      return raced;
    }
    opened.cleanUp();
    return opened;
  }

  /**
   * Removes the worktrees that ended processes left (a run killed mid-task) in the repositories of every project
   * this knows: the builder's and the store's.
   *
   * @return the worktree directories removed
   */
  public List<Path> cleanUp() {
    List<Path> removed = new ArrayList<>();
    Map<Path, Boolean> seen = new LinkedHashMap<>();
    List<VcsSettings> all = new ArrayList<>(projects.values());
    for (Project p : store.projectList(true)) {
      try {
        VcsSettings.fromProject(p).ifPresent(all::add);
      } catch (IllegalArgumentException e) {
        log.warn("Project's version control settings are not valid (project={}, error={})", p.name(),
            e.getMessage());
      }
    }
    for (VcsSettings s : all) {
      Path key = s.repository().toAbsolutePath().normalize();
      if (seen.put(key, true) == null) {
        try {
          removed.addAll(repository(key).cleanUp());
        } catch (VcsException e) {
          log.warn("Repository not cleaned (repository={}, error={})", key, e.getMessage());
        }
      }
    }
    return removed;
  }

  /**
   * Reverts the commits of task {@code taskId} of a run, in one commit on the run's branch (or on the task's own
   * branch when they were never merged). Later work built on them (another task's commits on top of them) makes it
   * refuse unless {@code cascade}, which reverts that work too. The user's working trees are never touched: a branch
   * checked out with changes of its own is refused.
   *
   * @return what was reverted
   * @throws VcsException when the project has no repository, the task made no commit, later work depends on it and
   *     {@code cascade} is false, or a working tree would be touched
   */
  public Rollback rollbackTask(String project, String runId, String taskId, boolean cascade) {
    VcsSettings s = require(project);
    return new Rollbacks(repository(s.repository()), work).task(project, runId, taskId, cascade);
  }

  /**
   * Resets the run's branch {@code orchestrator/<run>/@run} to the run's base commit; the task branches stay, for
   * review.
   *
   * @throws VcsException when the project has no repository, the run made no branch, or the run's branch is checked
   *     out in a working tree with changes of its own
   */
  public Rollback rollbackRun(String project, String runId) {
    VcsSettings s = require(project);
    return new Rollbacks(repository(s.repository()), work).run(project, runId);
  }

  private VcsSettings require(String project) {
    return settings(project).orElseThrow(() -> new VcsException("project " + project + " has no repository: set "
        + VcsSettings.REPOSITORY + " in its settings (orchestrator project create --repository <path>)"));
  }

  /** Stops the git threads, waiting up to 30 seconds for a commit in progress. Idempotent. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | SecurityException e) {
      return "localhost";
    }
  }

  /** Builds {@link VersionControl}. Mutable and not thread-safe. */
  public static final class Builder {
    private final Store store;
    private final Map<String, VcsSettings> projects = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private long pid = ProcessHandle.current().pid();

    private Builder(Store store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** A project's settings, instead of those in its stored settings. */
    public Builder project(String name, VcsSettings settings) {
      projects.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /** The clock that dates commit events; the system's by default (give the engine's). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The process id that owns this one's worktrees; this process's by default (tests stand for another). */
    Builder processId(long pid) {
      this.pid = pid;
      return this;
    }

    /** Version control; removes the stray worktrees of the repositories it knows ({@link #cleanUp()}). */
    public VersionControl build() {
      VersionControl v = new VersionControl(this);
      v.cleanUp();
      return v;
    }
  }
}
