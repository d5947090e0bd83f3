package dev.orchestrator.store.jdbc;

import java.nio.file.Path;

/**
 * Opens the embedded store in each directory given and prints one line per directory: {@code OPENED <dir>}, or
 * {@code REFUSED <dir> <reason> <message>}. Started by {@link BadDataDirectoryTest} as a process that obeys
 * permission bits (root without its permission-override capabilities).
 */
final class OpenProbe {
  private OpenProbe() {}

  public static void main(String[] args) {
    for (String dir : args) {
      try (JdbcStore store = JdbcStore.embedded(Path.of(dir))) {
        store.projectList(true);
        System.out.println("OPENED " + dir);
      } catch (StoreUnavailableException e) {
        System.out.println("REFUSED " + dir + " " + e.reason() + " " + e.getMessage());
      } catch (RuntimeException e) {
        System.out.println("FAILED " + dir + " " + e);
      }
    }
  }
}
