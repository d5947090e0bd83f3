package dev.orchestrator.store.jdbc;

import dev.orchestrator.run.RunRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A second process on an embedded store, started by {@link EmbeddedStoreTest}: checks that it sees the run the parent
 * wrote, writes one of its own, and exits 0 (2 when the parent's run is missing).
 */
final class EmbeddedStoreProcess {
  private EmbeddedStoreProcess() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    String expected = args[1];
    String written = args[2];
    try (JdbcStore store = JdbcStore.embedded(dir)) {
      if (store.run("shared", expected).isEmpty()) {
        System.out.println("child: run " + expected + " not found; runs=" + store.runs("shared"));
        System.exit(2);
      }
      store.createRun(RunRecord.submitted("shared", written, "wf", Map.of(),
          Instant.parse("2025-03-01T10:16:00Z")), "{}", List.of());
      System.out.println("child: wrote " + written);
    }
  }
}
