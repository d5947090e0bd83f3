package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes on one embedded store at once, started together and ending at different times: every open races
 * for the file, and every exit of the process that serves the file hands it over under the others' feet. Each
 * process writes its own runs and overwrites one shared row, and reads; none may fail, and nothing written is lost.
 */
class EmbeddedSharingIT {
  private static final int ROUNDS = 2;
  /** Operations per process: the short ones exit while the others are still writing. */
  private static final int[] OPS = {2, 6, 12, 20};

  @TempDir
  Path temp;

  @Test
  void processesStartingAndEndingAtDifferentTimesShareOneFileWithoutAnError() throws Exception {
    Path dir = temp.resolve("data");
    Map<String, Integer> written = new LinkedHashMap<>();
    for (int round = 1; round <= ROUNDS; round++) {
      List<Process> processes = new ArrayList<>();
      List<Path> logs = new ArrayList<>();
      for (int i = 0; i < OPS.length; i++) {
        String name = "r" + round + "p" + i;
        Path log = temp.resolve(name + ".log");
        logs.add(log);
        processes.add(start(dir, name, OPS[i], log));
        written.put(name, OPS[i]);
      }
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
          p.destroyForcibly();
        }
        String out = Files.readString(logs.get(i), StandardCharsets.UTF_8);
        assertThat(ended).as("round %d process %d ended; its output:%n%s", round, i, out).isTrue();
        assertThat(p.exitValue()).as("round %d process %d; its output:%n%s", round, i, out).isZero();
        // Libraries may log what they met on the way (a migration tool cannot roll back on a broken connection, say);
        // what counts is that the process did all its work and exited 0.
        assertThat(out).as("round %d process %d", round, i).contains("DONE ");
      }
    }

    try (JdbcStore store = JdbcStore.embedded(dir)) {
      written.forEach((name, ops) -> assertThat(store.runs(name))
          .as("the runs of process %s", name)
          .hasSize(ops)
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED))
          .extracting(RunRecord::id)
          .doesNotHaveDuplicates());
      assertThat(store.budgets()).filteredOn(b -> b.scope().equals(SharingProcess.SHARED)).hasSize(1);
    }
  }

  @Test
  void whenTheServingProcessIsKilledTheOthersCarryOnAndNothingCommittedIsLostOrDoneTwice() throws Exception {
    Path dir = temp.resolve("data");
    // The first process opens the file, so it serves it; it writes until it is killed.
    Path serverLog = temp.resolve("server.log");
    Process server = start(dir, "server", 100_000, serverLog);
    awaitLine(server, serverLog, "WROTE 2");
    Path[] logs = {temp.resolve("c0.log"), temp.resolve("c1.log")};
    Process[] clients = {start(dir, "c0", 25, logs[0]), start(dir, "c1", 25, logs[1])};
    awaitLine(clients[0], logs[0], "WROTE 2");
    awaitLine(clients[1], logs[1], "WROTE 2");
    server.destroyForcibly(); // SIGKILL: no shutdown hook, the file and its server vanish mid-transaction
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> committed = Files.readAllLines(serverLog).stream().filter(l -> l.startsWith("WROTE ")).toList();

    for (int i = 0; i < clients.length; i++) {
      boolean ended = clients[i].waitFor(120, TimeUnit.SECONDS);
      if (!ended) {
        clients[i].destroyForcibly();
      }
      String out = Files.readString(logs[i], StandardCharsets.UTF_8);
      assertThat(ended).as("client %d ended; its output:%n%s", i, out).isTrue();
      assertThat(clients[i].exitValue()).as("client %d; its output:%n%s", i, out).isZero();
    }
    try (JdbcStore store = JdbcStore.embedded(dir)) {
      for (String c : List.of("c0", "c1")) {
        assertThat(store.runs(c)).as("the runs of %s", c).hasSize(25)
            .allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED));
      }
      // Every run the killed process saw committed is there (WRITE_DELAY=0).
      assertThat(store.runs("server").size()).isGreaterThanOrEqualTo(committed.size());
    }
  }

  /** Waits until the process has printed a line starting with {@code prefix}, or has ended (then fails). */
  private static void awaitLine(Process p, Path log, String prefix) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (Files.readAllLines(log).stream().anyMatch(l -> l.startsWith(prefix))) {
        return;
      }
      if (p.waitFor(50, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the process ended before printing " + prefix + ":\n" + Files.readString(log));
      }
    }
    throw new AssertionError("no " + prefix + " within 120 s:\n" + Files.readString(log));
  }

  private static Process start(Path dir, String name, int ops, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        SharingProcess.class.getName(), dir.toString(), name, Integer.toString(ops))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
