package dev.orchestrator.vcs;

import dev.orchestrator.vcs.internal.Git;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A real git repository in a temporary directory, with one commit. */
final class TestRepo {
  final Path dir;
  final Git git;

  /** A repository or worktree that exists already. */
  record Existing(Path dir) {
    TestRepo repo() {
      return new TestRepo(dir, false);
    }
  }

  TestRepo(Path dir) {
    this(dir, true);
  }

  private TestRepo(Path dir, boolean init) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.dir = dir;
    this.git = Git.in(dir).with(Map.of("GIT_AUTHOR_NAME", "Test", "GIT_AUTHOR_EMAIL", "test@example.org",
        "GIT_COMMITTER_NAME", "Test", "GIT_COMMITTER_EMAIL", "test@example.org"));
    if (!init) {
      return;
    }
    git.run("init", "--quiet", "--initial-branch=main");
    git.run("config", "user.name", "Test");
    git.run("config", "user.email", "test@example.org");
    write("README.md", "# site\n");
    write("shared.txt", "one\ntwo\nthree\n");
    git.run("add", "--all");
    git.run("commit", "--quiet", "-m", "First commit");
  }

  void write(String path, String text) {
    try {
      Path f = dir.resolve(path);
      Files.createDirectories(f.getParent());
      Files.writeString(f, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String read(String path) {
    try {
      return Files.readString(dir.resolve(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String tree(String rev) {
    return git.run("rev-parse", rev + "^{tree}");
  }

  String rev(String rev) {
    return git.run("rev-parse", rev);
  }

  String show(String rev, String path) {
    return git.run("show", rev + ":" + path);
  }

  List<String> worktrees() {
    return git.exec("worktree", "list", "--porcelain").lines().stream().filter(l -> l.startsWith("worktree "))
        .toList();
  }

  List<String> branches() {
    return git.exec("for-each-ref", "--format=%(refname)").lines();
  }
}
