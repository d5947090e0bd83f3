package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher script, {@code bin/orchestrator}, as child processes, end to end: a run in the background, its
 * status, the budget report, and a cancel from another process while the run is in progress. Runs after
 * {@code package} (it needs the runnable jar); no API key reaches the children.
 */
class LauncherIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path temp;

  private Launcher launcher;

  private Launcher.Result orchestrator(String... args) throws IOException, InterruptedException {
    if (launcher == null) {
      launcher = new Launcher(temp.resolve("data"), temp.resolve("config.json"), temp.resolve("logs"));
    }
    return launcher.run(Duration.ofSeconds(60), args);
  }

  @Test
  void runStatusBudgetReportAndCancelFromAnotherProcess() throws Exception {
    assertThat(Launcher.SCRIPT).exists().isExecutable();
    Files.writeString(temp.resolve("config.json"), CliHarness.CONFIG);
    Path workflow = temp.resolve("slow.json");
    Files.writeString(workflow, """
        { "name": "Slow", "tasks": [
          {"id": "draft", "title": "Draft", "assigned_to": "claude", "instructions": "write"},
          {"id": "wait", "title": "Wait", "assigned_to": "slow", "depends_on": ["draft"], "instructions": "wait"},
          {"id": "after", "title": "After", "assigned_to": "claude", "depends_on": ["wait"], "instructions": "x"} ] }
        """);

    // A whole template in the foreground, on the simulator, saying so.
    Launcher.Result blog = orchestrator("run", "blog_post_pipeline", "--param", "topic=Tides", "--param",
        "seo_keywords=tide,moon");
    assertThat(blog.code()).as(blog.err()).isZero();
    assertThat(blog.out()).contains("SIMULATED (no API key", "Overall: SUCCEEDED, 6/6 tasks done");

    // In the background: returns at once with the run id; the task on `slow` waits until cancelled.
    Launcher.Result detached = orchestrator("run", workflow.toString(), "--detach");
    assertThat(detached.code()).as(detached.err()).isZero();
    Matcher m = Pattern.compile("Run ([0-9a-f-]{36}) started in the background").matcher(detached.out());
    assertThat(m.find()).as(detached.out()).isTrue();
    String runId = m.group(1);

    // Poll status --json (each poll is a process that we wait for) until the slow task runs: bounded.
    String waitState = "";
    for (int i = 0; i < 30 && !waitState.equals("RUNNING"); i++) {
      Launcher.Result status = orchestrator("status", runId, "--json");
      assertThat(status.code()).as(status.err()).isZero();
      for (JsonNode t : JSON.readTree(status.out()).get("tasks")) {
        if (t.get("taskId").asText().equals("wait")) {
          waitState = t.get("state").asText();
        }
      }
    }
    assertThat(waitState).isEqualTo("RUNNING");
    Launcher.Result text = orchestrator("status", runId);
    assertThat(text.out()).contains("Run " + runId, "RUNNING").doesNotContain("orphaned");

    Launcher.Result report = orchestrator("budget", "report");
    assertThat(report.code()).as(report.err()).isZero();
    assertThat(report.out()).contains("Total spent: $0.0", "claude: $0.0", "SIMULATED");

    Launcher.Result cancel = orchestrator("cancel", runId);
    assertThat(cancel.code()).as(cancel.err()).isZero();
    assertThat(cancel.out()).contains("Cancelled run " + runId);

    JsonNode after = JSON.readTree(orchestrator("status", runId, "--json").out());
    assertThat(after.at("/run/status").asText()).isEqualTo("CANCELLED");
    assertThat(after.at("/tasks/1/state").asText()).isEqualTo("CANCELLED");
    assertThat(Files.readString(temp.resolve("data").resolve("runs").resolve(runId + ".log")))
        .contains("wait: cancelled by", "CANCELLED");
  }

  @Test
  void logsFollowInOneProcessPrintsWhatARunInAnotherProcessAppends() throws Exception {
    Files.writeString(temp.resolve("config.json"), CliHarness.CONFIG);
    List<String> cmd = new ArrayList<>(List.of(Launcher.SCRIPT.toString(), "--data-dir", temp.resolve("data").toString(),
        "--config", temp.resolve("config.json").toString(), "logs", "--follow"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(temp.resolve("follow-err.txt").toFile());
    pb.environment().remove("OPENAI_API_KEY");
    pb.environment().remove("ANTHROPIC_API_KEY");
    pb.environment().remove("GEMINI_API_KEY");
    Process follower = pb.start();
    try {
      // Its output, line by line as it comes: no polling of a file, no sleeping.
      List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.concurrent.CountDownLatch following = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (java.io.BufferedReader in = new java.io.BufferedReader(
            new java.io.InputStreamReader(follower.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
            if (line.startsWith("Events of project default as they happen")) {
              following.countDown();
            }
            if (line.contains("RunFinished")) {
              finished.countDown();
            }
          }
        } catch (IOException e) {
          lines.add("(reading failed: " + e + ")");
        }
      });
      reader.start();
      assertThat(following.await(60, TimeUnit.SECONDS)).as("the follower started: %s %s", lines,
          Files.readString(temp.resolve("follow-err.txt"))).isTrue();

      Launcher.Result blog = orchestrator("run", "blog_post_pipeline", "--param", "topic=Tides", "--param",
          "seo_keywords=tide,moon", "--json");
      assertThat(blog.code()).as(blog.err()).isZero();
      String runId = JSON.readTree(blog.out()).at("/run/id").asText();

      assertThat(finished.await(60, TimeUnit.SECONDS)).as("the follower printed the end of the run: %s", lines)
          .isTrue();
      follower.destroy();
      assertThat(follower.waitFor(60, TimeUnit.SECONDS)).as("the follower stops on SIGTERM").isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(60));

      Launcher.Result logs = orchestrator("logs", runId);
      List<List<String>> expected = rows(logs.out());
      List<List<String>> followed = rows(String.join("\n", lines));
      assertThat(followed).extracting(r -> r.get(1)).containsOnly(runId.substring(0, 8));
      assertThat(followed.stream().map(r -> {
        List<String> withoutRun = new ArrayList<>(r);
        withoutRun.remove(1);
        return withoutRun;
      }).toList()).as("the other process's events, each once, in the order and words of `logs`").isEqualTo(expected);
    } finally {
      follower.destroyForcibly();
    }
  }

  /** The rows of a text event table, each cell trimmed: the same whatever the column widths. */
  private static List<List<String>> rows(String out) {
    return out.lines().filter(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d .*"))
        .map(l -> List.of(l.split(" {2,}"))).toList();
  }
}
