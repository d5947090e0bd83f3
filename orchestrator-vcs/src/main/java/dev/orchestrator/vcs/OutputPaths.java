package dev.orchestrator.vcs;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** The one rule for an output file's path: relative, inside the repository, not in {@code .git}. */
final class OutputPaths {
  private OutputPaths() {}

  static String check(String taskId, String path) {
    String setting = VcsSettings.OUTPUT + taskId;
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(setting + " must name a file (was blank): give a path inside the "
          + "repository, such as blog/post.md");
    }
    Path p;
    try {
      p = Path.of(path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(setting + " is not a path (was '" + path + "'): " + e.getReason(), e);
    }
    Path n = p.normalize();
    if (p.isAbsolute() || path.startsWith("/") || n.startsWith("..") || n.toString().isEmpty()
        || n.getNameCount() == 0 || n.getName(0).toString().equals(".git")) {
      throw new IllegalArgumentException(setting + " must stay inside the repository (was '" + path
          + "'): give a path relative to the repository's top directory, without '..' and outside .git");
    }
    return n.toString().replace('\\', '/');
  }

  /** The file inside {@code root}, checked again against the resolved path. */
  static Path resolve(Path root, String taskId, String path) {
    Path base = root.toAbsolutePath().normalize();
    Path file = base.resolve(check(taskId, path)).normalize();
    if (!file.startsWith(base) || file.equals(base)) {
      throw new IllegalArgumentException(VcsSettings.OUTPUT + taskId + " leaves the repository (was '" + path + "')");
    }
    return file;
  }
}
