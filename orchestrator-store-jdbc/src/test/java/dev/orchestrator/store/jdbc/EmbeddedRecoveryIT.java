package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.TaskRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart recovery on the embedded store with real processes: a run is killed (SIGKILL) with a call in flight, and a
 * second JVM on the same data directory finishes it; the interrupted task is retried, nothing runs twice.
 */
class EmbeddedRecoveryIT {
  @TempDir
  Path dataDir;

  private Process start(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String[] cmd = new String[4 + args.length];
    cmd[0] = java;
    cmd[1] = "-cp";
    cmd[2] = System.getProperty("java.class.path");
    cmd[3] = RecoveryProcess.class.getName();
    System.arraycopy(args, 0, cmd, 4, args.length);
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static String awaitLine(Process p, String prefix) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line;
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the process ended without printing " + prefix + "; it printed:\n" + seen);
  }

  @Test
  void aKilledRunIsFinishedByTheNextProcessAndNothingRunsTwice() throws Exception {
    Process first = start("start", dataDir.toString());
    String runId;
    try {
      runId = awaitLine(first, "RUNNING ").substring("RUNNING ".length()).trim();
    } finally {
      first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no clean close
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    Process second = start("resume", dataDir.toString(), runId);
    String done = awaitLine(second, "DONE ");
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isZero();
    assertThat(done).isEqualTo("DONE SUCCEEDED a=SUCCEEDED/1 b=SUCCEEDED/2 c=SUCCEEDED/1");

    try (JdbcStore store = JdbcStore.embedded(dataDir)) {
      TaskRecord b = store.task("demo", runId, "b").orElseThrow();
      assertThat(b.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
      assertThat(b.attempts().get(0).message()).contains("interrupted");
      assertThat(b.output()).isEqualTo("done: B after done: A");
    }
    assertThat(Files.exists(dataDir)).isTrue();
  }
}
