package dev.orchestrator.vcs.internal;

import dev.orchestrator.vcs.VcsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs the {@code git} command in one directory (a repository or one of its worktrees). Every call waits for git to
 * end; callers keep git off the engine's threads. Thread-safe (it holds only its directory).
 */
public final class Git {
  private final Path dir;
  private final Map<String, String> env;

  private Git(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = env;
  }

  /** Git in {@code dir}. */
  public static Git in(Path dir) {
    return new Git(dir, Map.of());
  }

  /** Git in another directory, with the same environment. */
  public Git at(Path other) {
    return new Git(other, env);
  }

  /** Git with extra environment variables (an author identity, for instance). */
  public Git with(Map<String, String> extra) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>(env);
    m.putAll(extra);
    return new Git(dir, Map.copyOf(m));
  }

  /** The directory git runs in. */
  public Path dir() {
    return dir;
  }

  /** The result of one command. */
  public record Result(int exit, String out, String err) {
    /** Whether git exited with 0. */
    public boolean ok() {
      return exit == 0;
    }

    /** Standard output's lines, without empty ones. */
    public List<String> lines() {
      return Arrays.stream(out.split("\n")).filter(l -> !l.isEmpty()).toList();
    }
  }

  /** Runs git and returns its output, trimmed; throws when git fails. */
  public String run(String... args) {
    return check(execWithInput(null, args), args).out().strip();
  }

  /** Runs git with {@code input} on stdin and returns its output, trimmed; throws when git fails. */
  public String runWithInput(String input, String... args) {
    return check(execWithInput(input, args), args).out().strip();
  }

  /** Runs git and returns whatever it said, failed or not. */
  public Result exec(String... args) {
    return execWithInput(null, args);
  }

  /** Runs git with {@code input} (or none) on stdin and returns whatever it said. */
  public Result execWithInput(@Nullable String input, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("git");
    argv.add("-c");
    argv.add("core.quotepath=off");
    argv.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("LC_ALL", "C");
    pb.environment().putAll(env);
    Path errFile = null;
    try {
      errFile = Files.createTempFile("orchestrator-git-", ".err");
      pb.redirectError(errFile.toFile());
      if (input == null) {
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      }
      Process p = pb.start();
      if (input != null) {
        try (var in = p.getOutputStream()) {
          in.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      String out;
      try (InputStream stdout = p.getInputStream()) {
        out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
      }
      int exit = p.waitFor();
      return new Result(exit, out, Files.readString(errFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new VcsException("cannot run git " + String.join(" ", args) + " in " + dir + " (" + e.getMessage()
          + "): install git (2.38 or newer) and put it on the PATH", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VcsException("interrupted while git " + String.join(" ", args) + " ran in " + dir, e);
    } finally {
      if (errFile != null) {
        try {
          Files.deleteIfExists(errFile);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

  private Result check(Result r, String... args) {
    if (!r.ok()) {
      String said = (r.err().isBlank() ? r.out() : r.err()).strip();
      throw new VcsException("git " + String.join(" ", args) + " failed in " + dir + " (exit " + r.exit() + "): "
          + said);
    }
    return r;
  }
}
