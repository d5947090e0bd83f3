package dev.orchestrator.vcs;

import dev.orchestrator.core.internal.WorkflowCodec;
import dev.orchestrator.event.TaskCommittedEvent;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.vcs.internal.Branches;
import dev.orchestrator.vcs.internal.Commits;
import dev.orchestrator.vcs.internal.Git;
import dev.orchestrator.vcs.internal.Repository;
import dev.orchestrator.vcs.internal.Trailers;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What version control does around one task's call: find whether the task changes files, prepare its worktree
 * (merging its parents' branches first under {@link Integration#MERGE}), commit its result, merge it, record an
 * event per commit. Thread-safe: the repositories serialise their own git work.
 */
final class TaskWork {
  private static final Logger log = LoggerFactory.getLogger(TaskWork.class);

  private final Store store;
  private final Clock clock;
  private final Function<String, Optional<VcsSettings>> settings;
  private final Function<Path, Repository> repositories;
  private final Map<String, Workflow> workflows = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Workflow> eldest) {
      return size() > 64;
    }
  };

  TaskWork(Store store, Clock clock, Function<String, Optional<VcsSettings>> settings,
      Function<Path, Repository> repositories) {
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.repositories = repositories;
  }

  /** A task whose call runs in a worktree. */
  record Task(String project, String runId, String taskId, int attempt, VcsSettings settings, Repository repo,
      @Nullable TaskSpec spec) {
    List<String> parents() {
      return spec == null ? List.of() : spec.dependsOn();
    }

    String title() {
      return spec == null ? taskId : spec.title();
    }
  }

  /** A prepared worktree, or the reason the task must wait (a merge conflict). */
  record Prepared(Repository repo, Repository.@Nullable Checkout checkout, @Nullable String conflict) {}

  /** The project's settings when the call's task changes files; quick (settings are cached), for the caller's thread. */
  Optional<VcsSettings> manages(CallContext context, String providerType) {
    Optional<VcsSettings> s = settings.apply(context.project());
    return s.isPresent() && s.get().manages(context.taskId(), providerType) ? s : Optional.empty();
  }

  /** The task, with its spec read from the run's stored definition; reads the store, so off the engine's thread. */
  Task task(CallContext context, VcsSettings s) {
    Workflow w = workflow(context.project(), context.runId());
    TaskSpec spec = w == null ? null : w.tasks().stream().filter(t -> t.id().equals(context.taskId())).findFirst()
        .orElse(null);
    return new Task(context.project(), context.runId(), context.taskId(), context.attempt(), s,
        repositories.apply(s.repository()), spec);
  }

  private @Nullable Workflow workflow(String project, String runId) {
    String key = project + '\u0000' + runId;
    synchronized (workflows) {
      Workflow known = workflows.get(key);
      if (known != null) {
        return known;
      }
    }
    Optional<String> definition = store.definition(project, runId);
    if (definition.isEmpty()) {
      return null;
    }
    Workflow w = WorkflowCodec.read(definition.get());
    synchronized (workflows) {
      workflows.put(key, w);
    }
    return w;
  }

  Prepared prepare(Task t) {
    Repository repo = t.repo();
    String base = repo.base(t.runId());
    String start = base;
    if (t.settings().integration() == Integration.MERGE && !t.parents().isEmpty()) {
      for (String parent : t.parents()) {
        Repository.Merge m = merge(t, parent);
        if (m.conflicted()) {
          return new Prepared(repo, null, "Merging the branch " + Branches.task(t.runId(), parent) + " into the run's "
              + "branch " + Branches.run(t.runId()) + " conflicts in " + String.join(", ", m.conflicts())
              + ". Resolve it: merge that branch into " + Branches.run(t.runId()) + " yourself (or reset it), then "
              + "answer to let task " + t.taskId() + " run.");
        }
      }
      start = repo.tip(Branches.run(t.runId())).orElse(base);
    }
    return new Prepared(repo, repo.checkout(t.runId(), t.taskId(), start), null);
  }

  private Repository.Merge merge(Task t, String taskId) {
    String message = "Merge task " + taskId + " into run " + t.runId() + "\n\n"
        + Trailers.RUN + ": " + t.runId() + "\n" + Trailers.TASK + ": " + taskId + "\n" + Trailers.ACTION
        + ": merge\n";
    Repository.Merge m = t.repo().merge(t.runId(), taskId, message);
    if (m.commit() != null) {
      emit(t.project(), t.runId(), taskId, "merge", m.commit(), Branches.run(t.runId()), m.files());
    }
    return m;
  }

  void finish(Task t, Prepared p, ProviderRequest request, ProviderResponse r, String provider,
      RecordedCost cost) {
    Repository.Checkout c = p.checkout();
    if (c == null) {
      return;
    }
    String output = t.settings().outputFiles().get(t.taskId());
    Path file = output == null ? null : OutputPaths.resolve(c.dir(), t.taskId(), output);
    String message = message(t, request, r, provider, output != null, cost);
    Optional<String> commit = Commits.commitAll(Git.in(c.dir()), message, file, output == null ? null : r.text());
    if (commit.isEmpty()) {
      log.debug("Task changed no file (project={}, run={}, task={})", t.project(), t.runId(), t.taskId());
      return;
    }
    emit(t.project(), t.runId(), t.taskId(), output != null ? "output" : "task", commit.get(), c.branch(),
        t.repo().files(commit.get()));
    if (t.settings().integration() == Integration.MERGE) {
      try {
        Repository.Merge m = merge(t, t.taskId());
        if (m.conflicted()) {
          log.info("Task branch not merged: conflicts (run={}, task={}, files={})", t.runId(), t.taskId(),
              m.conflicts());
        }
      } catch (VcsException e) {
        log.warn("Task branch not merged (run={}, task={}, reason={})", t.runId(), t.taskId(), e.getMessage());
      }
    }
  }

  void release(Prepared p) {
    Repository.Checkout c = p.checkout();
    if (c != null) {
      try {
        p.repo().remove(c.dir());
      } catch (RuntimeException e) {
        log.warn("Worktree not removed; the next start removes it (dir={}, error={})", c.dir(), e.getMessage());
      }
    }
  }

  private String message(Task t, ProviderRequest request, ProviderResponse r, String provider, boolean output,
      RecordedCost cost) {
    StringBuilder sb = new StringBuilder();
    sb.append(t.title().strip().lines().findFirst().orElse(t.taskId())).append("\n\n");
    sb.append(output ? "Output of task " : "Result of task ").append(t.taskId()).append(" in run ").append(t.runId())
        .append(" (attempt ").append(t.attempt()).append(").\n\n");
    sb.append(Trailers.RUN).append(": ").append(t.runId()).append('\n');
    sb.append(Trailers.TASK).append(": ").append(t.taskId()).append('\n');
    sb.append(Trailers.ACTION).append(": ").append(output ? "output" : "task").append('\n');
    sb.append("Provider: ").append(provider).append('\n');
    sb.append("Model: ").append(r.model() == null ? "unknown" : r.model()).append('\n');
    sb.append("Cost-USD: ").append(cost.amount().toPlainString()).append('\n');
    sb.append("Cost-Basis: ").append(cost.basis().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
    sb.append("Tokens-In: ").append(r.usage().inputTokens()).append('\n');
    sb.append("Tokens-Out: ").append(r.usage().outputTokens()).append('\n');
    sb.append("Prompt-SHA256: ").append(sha256(request.prompt())).append('\n');
    if (t.settings().coAuthor() != null) {
      sb.append("Co-authored-by: ").append(t.settings().coAuthor()).append('\n');
    }
    return sb.toString();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(
          StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  void emit(String project, String runId, String taskId, String action, String commit, String branch,
      List<String> files) {
    try {
      store.append(new TaskCommittedEvent(project, runId, taskId, clock.instant(), action, commit, branch, files));
    } catch (RuntimeException e) {
      log.warn("Commit event not stored (run={}, task={}, commit={}, error={})", runId, taskId, commit,
          e.getMessage());
    }
  }

}
