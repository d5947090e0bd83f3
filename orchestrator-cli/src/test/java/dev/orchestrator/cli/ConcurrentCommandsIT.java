package dev.orchestrator.cli;

import static dev.orchestrator.cli.StatusJson.openQuestion;
import static dev.orchestrator.cli.StatusJson.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any number of commands on one data directory at once: six different commands started together as separate
 * processes through {@code bin/orchestrator}, ten rounds, on one fresh data directory, while a run goes on in the
 * background. Each round starts a background run that asks a question, answers the question of the previous round's
 * run, cancels the run of the round before that, sets a budget, and reads the status and a run's events. Every command
 * must exit 0 and say what it did, no output may show a lock or the store's own errors, and the run in progress must
 * go on undisturbed: the same engine holds it throughout, and each of its tasks ran once.
 *
 * <p>Each start races the others to open the embedded store, and each exit of the process that serves its file hands
 * it over under the feet of the others (the background runs included). The children run without the optimising
 * compiler: on a two-core machine, many JVMs starting at once are otherwise mostly busy compiling. That changes
 * nothing that is tested.
 */
class ConcurrentCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROUNDS = 10;
  private static final Duration LIMIT = Duration.ofMinutes(3);
  /** What a lock problem or a leaked driver error looks like in any output. */
  private static final Pattern TROUBLE = Pattern.compile("(?i)lock file|locked by|already in use|timeout trying to"
      + " lock|stayed busy|exception|wrong user name|check the url|\\[(8000|9\\d{4}|5\\d{4})-|^orchestrator: |"
      + "\\] (ERROR|WARN) ", Pattern.MULTILINE);

  @TempDir
  Path temp;

  private Launcher launcher;
  private Path executions;

  @AfterEach
  void stopBackgroundRuns() {
    if (launcher != null) {
      launcher.stopEngines();
    }
  }

  @Test
  void sixCommandsStartedTogetherTenTimesAllSucceedAndTheRunInProgressGoesOn() throws Exception {
    executions = Files.createFile(temp.resolve("executions.txt"));
    ObjectNode config = (ObjectNode) JSON.readTree(CliHarness.CONFIG);
    // A command-line agent that notes each call (the task's prompt) so every execution is counted.
    ObjectNode agent = ((ObjectNode) config.get("providers")).putObject("agent");
    agent.put("type", "cli");
    agent.put("command", "sh -c 'echo \"$0\" >> " + executions + "; echo \"done $0\"' {prompt}");
    Files.writeString(temp.resolve("config.json"), config.toPrettyString());
    Path steady = Files.writeString(temp.resolve("steady.json"), """
        { "name": "Steady", "tasks": [
          {"id": "one", "title": "One", "assigned_to": "agent", "instructions": "steady-one"},
          {"id": "two", "title": "Two", "assigned_to": "agent", "depends_on": ["one"], "context": "none", "instructions": "steady-two"},
          {"id": "hold", "title": "Hold", "assigned_to": "slow", "depends_on": ["two"], "instructions": "hold"} ] }
        """);
    Path ask = Files.writeString(temp.resolve("ask.json"), """
        { "name": "Ask", "tasks": [
          {"id": "ask", "title": "Ask", "assigned_to": "claude", "question": "Which tone?",
           "instructions": "Write in this tone: {{input}}"},
          {"id": "wait", "title": "Wait", "assigned_to": "slow", "instructions": "wait"} ] }
        """);
    launcher = new Launcher(temp.resolve("data"), temp.resolve("config.json"), temp.resolve("logs"))
        .javaOptions(Launcher.QUICK_JVM);

    // The projects whose limits the rounds set (a project is created before it is used).
    for (int round = 1; round <= ROUNDS; round++) {
      assertThat(launcher.run(LIMIT, "project", "create", "p" + round).code()).isZero();
    }

    // The run in progress: two tasks, then one that holds it until it is cancelled at the end.
    String steadyRun = Launcher.detachedRun(launcher.run(LIMIT, "run", steady.toString(), "--detach"));
    JsonNode before = launcher.poll("the steady run to reach its holding task", LIMIT, () -> {
      JsonNode s = status(steadyRun);
      return state(s, "hold").equals("RUNNING") ? s : null;
    });
    String steadyEngine = before.get("engine").asText();
    launcher.remember(steadyEngine);

    List<String> runs = new ArrayList<>();
    List<String> questions = new ArrayList<>();
    long start = System.nanoTime();
    for (int round = 1; round <= ROUNDS; round++) {
      String answerable = round >= 2 ? questions.get(round - 2) : null;
      String cancellable = round >= 3 ? runs.get(round - 3) : null;
      List<Launcher.Started> started = new ArrayList<>();
      started.add(launcher.start("run", ask.toString(), "--detach"));
      started.add(launcher.start("status", "--json"));
      started.add(launcher.start("logs", steadyRun));
      started.add(launcher.start("budget", "set", "--project", "p" + round, "--limit", Integer.toString(round)));
      started.add(answerable != null ? launcher.start("answer", answerable, "playful")
          : launcher.start("project", "list"));
      started.add(cancellable != null ? launcher.start("cancel", cancellable) : launcher.start("status", steadyRun));
      List<Launcher.Result> results = new ArrayList<>();
      for (Launcher.Started s : started) {
        results.add(s.await(LIMIT));
      }
      for (Launcher.Result r : results) {
        assertThat(r.code()).as("round %d: %s", round, r).isZero();
        assertThat(r.out() + r.err()).as("round %d: %s", round, r).doesNotContainPattern(TROUBLE);
      }

      String newRun = Launcher.detachedRun(results.get(0));
      runs.add(newRun);
      JsonNode all = JSON.readTree(results.get(1).out());
      assertThat(all.get("runs")).as("round %d", round).isNotEmpty();
      assertThat(results.get(2).out()).as("round %d", round).contains("Events of run " + steadyRun, "RunSubmitted");
      assertThat(results.get(3).out()).as("round %d", round)
          .contains("Budget set: project p" + round + " limit $" + round + ".00.");
      if (answerable != null) {
        assertThat(results.get(4).out()).as("round %d", round)
            .containsPattern("Answered " + answerable + "; task ask of run " + runs.get(round - 2)
                + " goes on|Sent the answer to " + answerable);
      } else {
        assertThat(results.get(4).out()).as("round %d", round).contains("PROJECT", "default");
      }
      if (cancellable != null) {
        assertThat(results.get(5).out()).as("round %d", round)
            .containsPattern("Cancelled run " + cancellable + "|Asked engine .* to cancel run " + cancellable);
      } else {
        assertThat(results.get(5).out()).as("round %d", round).contains("Run " + steadyRun, "RUNNING");
      }

      // Before the next round: the new run has asked its question, and this round's steering took effect.
      JsonNode asked = launcher.poll("run " + newRun + " to ask its question", LIMIT, () -> {
        JsonNode s = status(newRun);
        return openQuestion(s) != null && state(s, "wait").equals("RUNNING") ? s : null;
      });
      launcher.remember(asked.get("engine").asText());
      questions.add(openQuestion(asked));
      if (answerable != null) {
        String answered = runs.get(round - 2);
        launcher.poll("the answer to reach run " + answered, LIMIT,
            () -> state(status(answered), "ask").equals("SUCCEEDED") ? true : null);
      }
      if (cancellable != null) {
        launcher.poll("run " + cancellable + " to be cancelled", LIMIT,
            () -> status(cancellable).at("/run/status").asText().equals("CANCELLED") ? true : null);
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf("ConcurrentCommandsIT: %d rounds of 6 commands at once took %d s%n", ROUNDS,
        took.toSeconds());

    // The run in progress was not disturbed: the same engine still executes it, and each task ran once.
    JsonNode after = status(steadyRun);
    assertThat(after.get("engine").asText()).isEqualTo(steadyEngine);
    assertThat(after.get("executing").asBoolean()).isTrue();
    assertThat(state(after, "one")).isEqualTo("SUCCEEDED");
    assertThat(state(after, "two")).isEqualTo("SUCCEEDED");
    assertThat(state(after, "hold")).isEqualTo("RUNNING");
    assertThat(Files.readAllLines(executions, StandardCharsets.UTF_8)).map(String::strip)
        .containsExactly("steady-one", "steady-two");

    // Nothing was lost or done twice: every run is there once, in the state its steering left it.
    JsonNode all = JSON.readTree(launcher.run(LIMIT, "status", "--json").out()).get("runs");
    assertThat(all).hasSize(1 + ROUNDS);
    for (int i = 0; i < ROUNDS; i++) {
      JsonNode s = status(runs.get(i));
      String ran = state(s, "ask");
      if (i < ROUNDS - 2) {
        assertThat(s.at("/run/status").asText()).as("run of round %d", i + 1).isEqualTo("CANCELLED");
      } else {
        assertThat(s.at("/run/status").asText()).as("run of round %d", i + 1).isEqualTo("RUNNING");
      }
      assertThat(ran).as("run of round %d", i + 1).isEqualTo(i < ROUNDS - 1 ? "SUCCEEDED" : "AWAITING_INPUT");
    }
    Launcher.Result cancel = launcher.run(LIMIT, "cancel", steadyRun);
    assertThat(cancel.code()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).containsPattern("Cancelled run " + steadyRun + "|Asked engine .* to cancel run "
        + steadyRun);
    launcher.poll("the steady run to be cancelled", LIMIT,
        () -> status(steadyRun).at("/run/status").asText().equals("CANCELLED") ? true : null);
    Path background = temp.resolve("data").resolve("logs").resolve("detached.log");
    if (Files.exists(background)) {
      assertThat(Files.readString(background)).as("the background runs' own errors").doesNotContainPattern(TROUBLE);
    }
  }


  private JsonNode status(String runId) throws Exception {
    Launcher.Result r = launcher.run(LIMIT, "status", runId, "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out() + r.err()).as(r.toString()).doesNotContainPattern(TROUBLE);
    return JSON.readTree(r.out());
  }



}
