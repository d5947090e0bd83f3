package dev.orchestrator.vcs;

import dev.orchestrator.vcs.internal.Branches;
import dev.orchestrator.vcs.internal.Git;
import dev.orchestrator.vcs.internal.Repository;
import dev.orchestrator.vcs.internal.Trailers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Undoes a task's commits or a run's integration, in git, without touching a working tree with changes. */
final class Rollbacks {
  private static final String SEP = "\u001f";

  private final Repository repo;
  private final TaskWork work;

  Rollbacks(Repository repo, TaskWork work) {
    this.repo = repo;
    this.work = work;
  }

  /** A commit a run's task made (its action is task, output, merge or revert). */
  private record Made(String commit, String task, String action, List<String> reverts) {
    boolean result() {
      return action.equals("task") || action.equals("output");
    }
  }

  Rollback task(String project, String runId, String taskId, boolean cascade) {
    String base = baseOf(runId);
    List<String> branches = branches(runId);
    Map<String, Made> made = made(runId, branches, base);
    List<Made> own = made.values().stream().filter(m -> m.task().equals(taskId) && m.result()).toList();
    if (own.isEmpty()) {
      throw new VcsException("task " + taskId + " of run " + runId + " made no commit: nothing to roll back (its "
          + "branch is " + Branches.task(runId, taskId) + ")");
    }
    Set<String> dependants = new LinkedHashSet<>();
    for (Made m : own) {
      for (String b : branches) {
        for (String c : repo.git().exec("rev-list", "--no-merges", "--ancestry-path", m.commit() + ".."
            + Branches.ref(b)).lines()) {
          Made later = made.get(c);
          if (later != null && later.result() && !later.task().equals(taskId)) {
            dependants.add(later.task());
          }
        }
      }
    }
    if (!dependants.isEmpty() && !cascade) {
      throw new VcsException("later work depends on task " + taskId + " of run " + runId + ": task(s) "
          + String.join(", ", dependants) + " built on its commits; roll them back too (rollback --cascade), "
          + "or roll back those tasks first");
    }
    Set<String> undo = new LinkedHashSet<>();
    undo.add(taskId);
    undo.addAll(dependants);
    String runBranch = Branches.run(runId);
    Optional<String> runTip = repo.tip(runBranch);
    String target = runTip.isPresent() && own.stream().anyMatch(m -> repo.isAncestor(m.commit(), runTip.get()))
        ? runBranch : Branches.task(runId, taskId);
    Set<String> alreadyReverted = new LinkedHashSet<>();
    made.values().forEach(m -> alreadyReverted.addAll(m.reverts()));
    List<String> toRevert = new ArrayList<>();
    for (String c : repo.git().exec("rev-list", "--no-merges", Branches.ref(target), "^" + base).lines()) {
      Made m = made.get(c);
      if (m != null && m.result() && undo.contains(m.task()) && !alreadyReverted.contains(c)) {
        toRevert.add(c);
      }
    }
    if (toRevert.isEmpty()) {
      return new Rollback(runId, List.copyOf(undo), target, null, List.of());
    }
    StringBuilder message = new StringBuilder("Roll back task " + taskId + " of run " + runId + "\n\n");
    message.append("Reverts ").append(toRevert.size()).append(" commit(s) of task(s) ")
        .append(String.join(", ", undo)).append(".\n\n");
    message.append(Trailers.RUN).append(": ").append(runId).append('\n');
    message.append(Trailers.TASK).append(": ").append(taskId).append('\n');
    message.append(Trailers.ACTION).append(": revert\n");
    for (String c : toRevert) {
      message.append("Reverts: ").append(c).append('\n');
    }
    String commit = inWorktree(runId, target, g -> {
      List<String> args = new ArrayList<>(List.of("revert", "--no-commit"));
      args.addAll(toRevert);
      Git.Result r = g.exec(args.toArray(String[]::new));
      if (!r.ok()) {
        g.exec("revert", "--abort");
        throw new VcsException("cannot roll back task " + taskId + " of run " + runId + ": reverting its commits "
            + "conflicts with later changes on " + target + " (" + r.err().strip() + "); roll back the later work "
            + "first, or use --cascade");
      }
      dev.orchestrator.vcs.internal.Commits.commitAll(g, message.toString(), null, null);
      return g.run("rev-parse", "HEAD");
    });
    work.emit(project, runId, taskId, "revert", commit, target, repo.files(commit));
    return new Rollback(runId, List.copyOf(undo), target, commit, toRevert);
  }

  Rollback run(String project, String runId) {
    String base = baseOf(runId);
    String branch = Branches.run(runId);
    String tip = repo.tip(branch).orElse(base);
    if (tip.equals(base)) {
      return new Rollback(runId, List.of(), branch, base, List.of());
    }
    List<String> files = repo.git().exec("diff", "--name-only", "--no-renames", base, tip).lines();
    List<String> undone = repo.git().exec("rev-list", tip, "^" + base).lines();
    Optional<Repository.Worktree> user = repo.checkedOut(branch);
    if (user.isPresent()) {
      if (repo.dirty(user.get().path())) {
        throw dirty(branch, user.get().path());
      }
      repo.git().at(user.get().path()).run("reset", "--hard", "--quiet", base);
    } else if (!repo.git().exec("update-ref", Branches.ref(branch), base, tip).ok()) {
      throw new VcsException("the run's branch " + branch + " moved while rolling back; try again");
    }
    work.emit(project, runId, "@run", "reset", base, branch, files);
    return new Rollback(runId, List.of(), branch, base, undone);
  }

  private String baseOf(String runId) {
    return repo.tip(Branches.base(runId)).orElseThrow(() -> new VcsException("run " + runId + " has no branch "
        + Branches.base(runId) + " in " + repo.top() + ": it changed no file under version control"));
  }

  private List<String> branches(String runId) {
    return repo.git().exec("for-each-ref", "--format=%(refname:short)",
        Branches.ref(Branches.PREFIX + runId) + "/").lines();
  }

  private Map<String, Made> made(String runId, List<String> branches, String base) {
    List<String> args = new ArrayList<>(List.of("log", "--format=%H" + SEP + "%(trailers:key=" + Trailers.RUN
        + ",valueonly,separator=%x2c)" + SEP + "%(trailers:key=" + Trailers.TASK + ",valueonly,separator=%x2c)"
        + SEP + "%(trailers:key=" + Trailers.ACTION + ",valueonly,separator=%x2c)" + SEP
        + "%(trailers:key=Reverts,valueonly,separator=%x2c)"));
    branches.forEach(b -> args.add(Branches.ref(b)));
    args.add("^" + base);
    Map<String, Made> out = new LinkedHashMap<>();
    for (String line : repo.git().exec(args.toArray(String[]::new)).lines()) {
      String[] f = line.split(SEP, -1);
      if (f.length == 5 && f[1].equals(runId) && !f[2].isEmpty()) {
        List<String> reverts = f[4].isEmpty() ? List.of() : List.of(f[4].split(","));
        out.put(f[0], new Made(f[0], f[2], f[3], reverts));
      }
    }
    return out;
  }

  private interface InTree {
    String apply(Git g);
  }

  /** Runs {@code action} in the working tree of {@code branch}: the user's when it is checked out, else our own. */
  private String inWorktree(String runId, String branch, InTree action) {
    Optional<Repository.Worktree> user = repo.checkedOut(branch);
    if (user.isPresent() && !user.get().path().startsWith(repo.worktreeRoot())) {
      if (repo.dirty(user.get().path())) {
        throw dirty(branch, user.get().path());
      }
      return action.apply(repo.git().at(user.get().path()));
    }
    Repository.Checkout c = repo.checkoutBranch(runId, "@rollback", branch);
    try {
      return action.apply(repo.git().at(c.dir()));
    } finally {
      repo.remove(c.dir());
    }
  }

  private static VcsException dirty(String branch, Path dir) {
    return new VcsException("the branch " + branch + " is checked out at " + dir + " with changes that are not "
        + "committed; nothing was changed. Commit or stash them (or switch that working tree to another branch), "
        + "then roll back again");
  }
}
