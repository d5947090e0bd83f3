package dev.orchestrator.store.jdbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Another process appending to an embedded store, started by {@link EmbeddedStoreTest}: opens the store, prints
 * "ready", waits for a line on its input (so the parent's writers and it start together), appends the events of
 * writer {@code args[1]}, {@code args[2]} of them, and exits 0.
 */
final class EventAppenderProcess {
  private EventAppenderProcess() {}

  public static void main(String[] args) throws Exception {
    try (JdbcStore store = JdbcStore.embedded(Path.of(args[0]))) {
      System.out.println("ready");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      StreamFollowing.append(store, args[1], Integer.parseInt(args[2]));
    }
  }
}
