package dev.orchestrator.vcs.internal;

import dev.orchestrator.vcs.VcsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One repository's branches and worktrees for runs. Every method runs git and waits; the methods that change refs
 * or worktrees hold this object's lock, so the threads of one process never race on a ref, and ref updates are
 * compare-and-swap ({@code git update-ref <ref> <new> <old>}), so two processes never lose each other's merges.
 *
 * <p>Worktrees live in {@code <git dir>/orchestrator-worktrees/<run>/<task>}, locked with the reason
 * {@code orchestrator <host> <pid>}: {@link #cleanUp()} removes those whose process has ended. Thread-safe.
 */
public final class Repository {
  private static final Logger log = LoggerFactory.getLogger(Repository.class);
  private static final String LOCK_PREFIX = "orchestrator ";

  private final Git git;
  private final Path top;
  private final Path worktrees;
  private final String host;
  private final long pid;

  private Repository(Git git, Path top, Path worktrees, String host, long pid) {
    this.git = git;
    this.top = top;
    this.worktrees = worktrees;
    this.host = host;
    this.pid = pid;
  }

  /**
   * Opens the repository whose main worktree is {@code top}.
   *
   * @throws VcsException when it is not a git repository's top directory
   */
  public static Repository open(Path top, String host, long pid) {
    Path dir = top.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new VcsException("vcs.repository is not a directory (was " + dir + "): give the top directory of a git "
          + "repository (git init creates one)");
    }
    Git g = Git.in(dir);
    Git.Result inside = g.exec("rev-parse", "--show-toplevel", "--git-common-dir");
    if (!inside.ok()) {
      throw new VcsException("vcs.repository is not a git repository (was " + dir + "): run git init there, or "
          + "give the repository's top directory");
    }
    List<String> lines = inside.lines();
    Path realTop = Path.of(lines.get(0));
    Path common = dir.resolve(lines.get(1)).normalize();
    return new Repository(g.at(realTop), realTop, common.resolve("orchestrator-worktrees"), host, pid);
  }

  /** The repository's top directory. */
  public Path top() {
    return top;
  }

  /** Git in the main worktree. */
  public Git git() {
    return git;
  }

  /** Where this module's worktrees live. */
  public Path worktreeRoot() {
    return worktrees;
  }

  /** The commit a branch points at, or empty when there is no such branch. */
  public Optional<String> tip(String branch) {
    Git.Result r = git.exec("rev-parse", "--verify", "--quiet", Branches.ref(branch) + "^{commit}");
    return r.ok() ? Optional.of(r.out().strip()) : Optional.empty();
  }

  /**
   * The run's base commit: the one {@code orchestrator/<run>/@base} points at, which the first call of a run sets to
   * the main worktree's {@code HEAD}; the run's branch starts there too.
   */
  public synchronized String base(String runId) {
    Optional<String> known = tip(Branches.base(runId));
    String base;
    if (known.isPresent()) {
      base = known.get();
    } else {
      Git.Result head = git.exec("rev-parse", "--verify", "--quiet", "HEAD^{commit}");
      if (!head.ok()) {
        throw new VcsException("the repository " + top + " has no commit yet: make a first commit, then run again");
      }
      createIfAbsent(Branches.base(runId), head.out().strip());
      base = tip(Branches.base(runId)).orElseThrow();
    }
    createIfAbsent(Branches.run(runId), base);
    return base;
  }

  /** Creates a branch at {@code commit} unless it exists (another process may have just made it: fine). */
  private void createIfAbsent(String branch, String commit) {
    git.exec("update-ref", Branches.ref(branch), commit, "");
  }

  /** Whether {@code ancestor} is reachable from {@code descendant}. */
  public boolean isAncestor(String ancestor, String descendant) {
    return git.exec("merge-base", "--is-ancestor", ancestor, descendant).ok();
  }

  /** The outcome of merging a task's branch into the run's branch. */
  public record Merge(@Nullable String commit, List<String> conflicts, List<String> files) {
    /** Whether the merge stopped on conflicting files. */
    public boolean conflicted() {
      return !conflicts.isEmpty();
    }
  }

  /**
   * Merges {@code branch} into the run's branch with a merge commit, without a working tree
   * ({@code git merge-tree --write-tree}); nothing to do when the run's branch has it already (commit null).
   *
   * @throws VcsException when the run's branch is checked out somewhere (moving it would leave that working tree
   *     behind its branch)
   */
  public synchronized Merge merge(String runId, String taskId, String message) {
    String branch = Branches.task(runId, taskId);
    String into = Branches.run(runId);
    for (int tries = 0; ; tries++) {
      String from = tip(branch).orElse(null);
      String onto = tip(into).orElseThrow(() -> new VcsException("the run's branch " + into + " is missing"));
      if (from == null || isAncestor(from, onto)) {
        return new Merge(null, List.of(), List.of());
      }
      refuseCheckedOut(into, "merge " + branch + " into it");
      Git.Result m = git.exec("merge-tree", "--write-tree", "--name-only", "--no-messages", onto, from);
      List<String> lines = m.lines();
      if (m.exit() == 1) {
        return new Merge(null, lines.subList(1, lines.size()), List.of());
      }
      if (!m.ok()) {
        throw new VcsException("git merge-tree failed in " + top + ": " + m.err().strip()
            + " (merging needs git 2.38 or newer)");
      }
      String commit = Commits.identity(git).runWithInput(message, "commit-tree", lines.get(0), "-p", onto, "-p",
          from, "-F", "-");
      if (git.exec("update-ref", Branches.ref(into), commit, onto).ok()) {
        return new Merge(commit, List.of(), files(commit));
      }
      if (tries >= 5) {
        throw new VcsException("the run's branch " + into + " kept moving while merging " + branch);
      }
    }
  }

  /** The paths {@code commit} changed against its first parent. */
  public List<String> files(String commit) {
    return git.exec("diff", "--name-only", "--no-renames", commit + "^1", commit).lines();
  }

  /** A task's checkout: its directory and branch. */
  public record Checkout(Path dir, String branch) {}

  /**
   * Checks out the task's branch in a worktree of its own, making the branch at {@code start} when it does not exist
   * yet; a worktree of an earlier attempt is removed first, so each attempt starts from the branch's last commit.
   */
  public synchronized Checkout checkout(String runId, String taskId, String start) {
    String branch = Branches.task(runId, taskId);
    if (tip(branch).isEmpty()) {
      createIfAbsent(branch, start);
    }
    return checkoutBranch(runId, taskId, branch);
  }

  /** Checks out an existing {@code branch} in this module's worktree {@code <run>/<name>}. */
  public synchronized Checkout checkoutBranch(String runId, String name, String branch) {
    Path dir = worktrees.resolve(runId).resolve(name);
    for (Worktree w : worktreesList()) {
      if (branch.equals(w.branch()) || w.path().equals(dir)) {
        if (!w.path().startsWith(worktrees)) {
          throw new VcsException("the branch " + branch + " is checked out at " + w.path() + ": switch that "
              + "working tree to another branch, then let the task run again");
        }
        removeWorktree(w.path());
      }
    }
    deleteTree(dir);
    try {
      Files.createDirectories(dir.getParent());
    } catch (IOException e) {
      throw new VcsException("cannot create " + dir.getParent() + " (" + e.getMessage() + ")", e);
    }
    git.run("worktree", "add", "--lock", "--reason", LOCK_PREFIX + host + " " + pid, dir.toString(), branch);
    return new Checkout(dir, branch);
  }

  /** Removes a worktree of this module (its directory and git's record of it); the branch stays. */
  public synchronized void remove(Path dir) {
    if (dir.startsWith(worktrees)) {
      removeWorktree(dir);
    }
  }

  private void removeWorktree(Path dir) {
    git.exec("worktree", "unlock", dir.toString());
    Git.Result r = git.exec("worktree", "remove", "--force", "--force", dir.toString());
    if (!r.ok()) {
      deleteTree(dir);
      git.exec("worktree", "prune");
    }
  }

  /**
   * Removes this module's worktrees whose process has ended (a run killed mid-task), the directories left in the
   * worktree root that git no longer knows, and git's records of worktrees whose directory is gone.
   *
   * @return the worktrees removed
   */
  public synchronized List<Path> cleanUp() {
    List<Path> removed = new ArrayList<>();
    git.exec("worktree", "prune");
    List<Worktree> all = worktreesList();
    for (Worktree w : all) {
      if (w.path().startsWith(worktrees) && !ownerAlive(w.lockReason())) {
        removeWorktree(w.path());
        removed.add(w.path());
      }
    }
    List<Path> known = worktreesList().stream().map(Worktree::path).toList();
    if (Files.isDirectory(worktrees)) {
      try (Stream<Path> runs = Files.list(worktrees)) {
        for (Path run : runs.toList()) {
          try (Stream<Path> tasks = Files.list(run)) {
            for (Path task : tasks.toList()) {
              if (!known.contains(task)) {
                deleteTree(task);
                removed.add(task);
              }
            }
          }
          try (Stream<Path> left = Files.list(run)) {
            if (left.findAny().isEmpty()) {
              Files.deleteIfExists(run);
            }
          }
        }
      } catch (IOException e) {
        log.warn("Cannot clean worktree directory (dir={}, error={})", worktrees, e.getMessage());
      }
    }
    git.exec("worktree", "prune");
    if (!removed.isEmpty()) {
      log.info("Removed stray worktrees (repository={}, count={})", top, removed.size());
    }
    return removed;
  }

  private boolean ownerAlive(@Nullable String reason) {
    if (reason == null || !reason.startsWith(LOCK_PREFIX)) {
      return false;
    }
    String[] parts = reason.substring(LOCK_PREFIX.length()).strip().split(" ");
    if (parts.length != 2) {
      return false;
    }
    if (!parts[0].equals(host)) {
      return true; // another machine's process: not ours to judge
    }
    try {
      long owner = Long.parseLong(parts[1]);
      return owner == pid || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A worktree git knows. */
  public record Worktree(Path path, @Nullable String branch, @Nullable String lockReason) {}

  /** Every worktree git knows, the main one first. */
  public List<Worktree> worktreesList() {
    List<Worktree> out = new ArrayList<>();
    Path path = null;
    String branch = null;
    String lock = null;
    for (String line : (git.exec("worktree", "list", "--porcelain").out() + "\n").split("\n", -1)) {
      if (line.startsWith("worktree ")) {
        path = Path.of(line.substring("worktree ".length())).normalize();
      } else if (line.startsWith("branch ")) {
        branch = line.substring("branch refs/heads/".length());
      } else if (line.startsWith("locked")) {
        lock = line.length() > "locked ".length() ? line.substring("locked ".length()) : "";
      } else if (line.isEmpty() && path != null) {
        out.add(new Worktree(path, branch, lock));
        path = null;
        branch = null;
        lock = null;
      }
    }
    return out;
  }

  /** The worktree (not this module's) where {@code branch} is checked out, if any. */
  public Optional<Worktree> checkedOut(String branch) {
    return worktreesList().stream().filter(w -> branch.equals(w.branch())).findFirst();
  }

  private void refuseCheckedOut(String branch, String what) {
    Optional<Worktree> w = checkedOut(branch);
    if (w.isPresent()) {
      throw new VcsException("cannot " + what + ": the branch " + branch + " is checked out at " + w.get().path()
          + "; switch that working tree to another branch first");
    }
  }

  /** Whether the working tree at {@code dir} has changes of its own (staged, unstaged or untracked). */
  public boolean dirty(Path dir) {
    return !git.at(dir).run("status", "--porcelain", "--untracked-files=normal").isEmpty();
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new VcsException("cannot delete " + dir + " (" + e.getMessage() + ")", e);
    }
  }
}
