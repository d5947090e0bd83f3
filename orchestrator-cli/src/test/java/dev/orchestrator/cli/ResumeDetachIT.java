package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code resume --detach} twenty times in a row on one failed run, through {@code bin/orchestrator}: each must start
 * its background process, which takes the run over, executes it to its end (it fails again) and exits; and no
 * background process may see its connections to the embedded store break. The foreground half used to keep the store
 * open while the child opened it, so the child's first transactions went through the parent's server, which then
 * exited under them ("Database is already closed").
 */
class ResumeDetachIT {
  private static final int ROUNDS = 20;
  private static final Duration LIMIT = Duration.ofMinutes(2);

  @TempDir
  Path temp;

  @AfterEach
  void stopBackgroundRuns() {
    AgentProcesses.childrenOf(temp).forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void resumeDetachedTwentyTimesTakesTheRunOverEveryTime() throws Exception {
    Files.writeString(temp.resolve("config.json"), CliHarness.CONFIG);
    Path workflow = Files.writeString(temp.resolve("fails.json"), """
        { "name": "Fails", "tasks": [
          {"id": "one", "title": "One", "assigned_to": "chatgpt", "instructions": "x"},
          {"id": "bad", "title": "Bad", "assigned_to": "broken", "depends_on": ["one"], "instructions": "y"} ] }
        """);
    Path data = temp.resolve("data");
    Launcher launcher = new Launcher(data, temp.resolve("config.json"), temp.resolve("logs")).javaOptions(Launcher.QUICK_JVM);
    Launcher.Result first = launcher.run(LIMIT, "run", workflow.toString());
    assertThat(first.code()).as(first.toString()).isEqualTo(1);
    String runId = first.out().replaceAll("(?s).*Run ([0-9a-f-]{36}) FAILED.*", "$1");
    assertThat(runId).as(first.toString()).hasSize(36);

    Path runLog = data.resolve("runs").resolve(runId + ".log");
    for (int round = 1; round <= ROUNDS; round++) {
      Launcher.Result r = launcher.run(LIMIT, "resume", runId, "--detach");
      assertThat(r.code()).as("round %d: %s", round, r).isZero();
      assertThat(r.out()).as("round %d", round).contains("Run " + runId + " started in the background");
      boolean ended = AgentProcesses.awaitExit(AgentProcesses.childrenOf(temp), LIMIT);
      assertThat(ended).as("round %d: the background process ended", round).isTrue();
      assertThat(Files.readString(runLog, StandardCharsets.UTF_8)).as("round %d", round)
          .contains("Run " + runId + " FAILED");
    }
    Path background = data.resolve("logs").resolve("detached.log");
    String log = Files.exists(background) ? Files.readString(background, StandardCharsets.UTF_8) : "";
    assertThat(log).doesNotContain("already closed", "Connection is broken", "could not be saved",
        "reloaded from the store");
  }
}
