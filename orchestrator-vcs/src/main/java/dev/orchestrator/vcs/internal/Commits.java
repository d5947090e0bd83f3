package dev.orchestrator.vcs.internal;

import dev.orchestrator.vcs.VcsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Commits in a worktree: everything the task changed, and the text it wrote to its output file. */
public final class Commits {
  private Commits() {}

  /**
   * Writes {@code text} to {@code outputFile} (when given), stages every change in the worktree and commits it with
   * {@code message}; empty when nothing changed.
   */
  public static Optional<String> commitAll(Git worktree, String message, @Nullable Path outputFile,
      @Nullable String text) {
    if (outputFile != null && text != null) {
      write(worktree.dir(), outputFile, text);
    }
    worktree.run("add", "--all");
    if (worktree.exec("diff", "--cached", "--quiet").ok()) {
      return Optional.empty();
    }
    identity(worktree).runWithInput(message, "-c", "commit.gpgsign=false", "commit", "--no-verify", "--quiet",
        "-F", "-");
    return Optional.of(worktree.run("rev-parse", "HEAD"));
  }

  /** Git with an author and committer identity: the repository's own when it has one, else Orchestrator's. */
  static Git identity(Git git) {
    if (git.exec("config", "user.email").ok() && git.exec("config", "user.name").ok()) {
      return git;
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GIT_AUTHOR_NAME", "Orchestrator");
    env.put("GIT_AUTHOR_EMAIL", "orchestrator@localhost");
    env.put("GIT_COMMITTER_NAME", "Orchestrator");
    env.put("GIT_COMMITTER_EMAIL", "orchestrator@localhost");
    return git.with(env);
  }

  private static void write(Path root, Path file, String text) {
    try {
      Path realRoot = root.toRealPath();
      Files.createDirectories(file.getParent());
      Path parent = file.getParent().toRealPath();
      if (!parent.startsWith(realRoot) || parent.startsWith(realRoot.resolve(".git"))
          || (Files.isSymbolicLink(file))) {
        throw new VcsException("the output file " + root.relativize(file) + " leads out of the repository (through "
            + "a symbolic link): give a path whose directories are inside the repository");
      }
      Files.writeString(file, text.endsWith("\n") || text.isEmpty() ? text : text + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new VcsException("cannot write the output file " + file + " (" + e.getMessage() + ")", e);
    }
  }
}
