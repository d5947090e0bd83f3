package dev.orchestrator.cli;

import static dev.orchestrator.cli.StatusJson.states;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.CostBasis;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Balance;
import dev.orchestrator.store.jdbc.JdbcStore;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two command-line processes run work on one embedded data directory under one project limit: together they never
 * spend more than it, nothing stays reserved while their tasks wait for money, and raising the limit from a third
 * command lets both runs finish, with no call made that no attempt accounts for.
 */
class SharedBudgetIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LIMIT = Duration.ofMinutes(3);
  /** What each call bills, as the agent's JSON result says; its worst case, from the model's price, is higher. */
  private static final BigDecimal CALL_COST = new BigDecimal("0.05");
  private static final BigDecimal PROJECT_LIMIT = new BigDecimal("0.30");
  private static final int TASKS_PER_RUN = 6;

  @TempDir
  Path temp;

  private Launcher launcher;


  @AfterEach
  void stopBackgroundRuns() {
    if (launcher != null) {
      launcher.stopEngines();
    }
  }

  @Test
  void twoProcessesUnderOneLimitSpendNoMoreThanItAndBothFinishOnceItIsRaised() throws Exception {
    Path executions = Files.createFile(temp.resolve("executions.txt"));
    ObjectNode config = (ObjectNode) JSON.readTree(CliHarness.CONFIG);
    StatusJson.addPaidAgent((ObjectNode) config.get("providers"), "paid", executions, 1, CALL_COST);
    Files.writeString(temp.resolve("config.json"), config.toPrettyString());
    StringBuilder tasks = new StringBuilder();
    for (int i = 0; i < TASKS_PER_RUN; i++) {
      tasks.append(i == 0 ? "" : ",\n").append("{\"id\": \"t").append(i).append("\", \"title\": \"T").append(i)
          .append("\", \"assigned_to\": \"paid\", \"instructions\": \"{{who}}-").append(i).append("\"}");
    }
    Path workflow = Files.writeString(temp.resolve("paid.json"),
        "{ \"name\": \"Paid\", \"parameters\": {\"who\": \"string\"}, \"tasks\": [\n" + tasks + "\n] }");
    launcher = new Launcher(temp.resolve("data"), temp.resolve("config.json"), temp.resolve("logs"))
        .javaOptions(Launcher.QUICK_JVM);

    assertThat(launcher.run(LIMIT, "project", "create", "shared").code()).isZero();
    Launcher.Result limit = launcher.run(LIMIT, "budget", "set", "--project", "shared", "--limit",
        PROJECT_LIMIT.toPlainString());
    assertThat(limit.code()).as(limit.toString()).isZero();

    // Two runs of $0.30 of work each, started together by two processes, under one $0.30 limit.
    Launcher.Started first = launcher.start("--project", "shared", "run", workflow.toString(), "--detach",
        "--param", "who=first");
    Launcher.Started second = launcher.start("--project", "shared", "run", workflow.toString(), "--detach",
        "--param", "who=second");
    List<String> runs = List.of(Launcher.detachedRun(first.await(LIMIT)), Launcher.detachedRun(second.await(LIMIT)));

    // Both stop for money: every task has succeeded or waits PAUSED for the limit.
    List<JsonNode> stopped = launcher.poll("both runs to stop at the limit", LIMIT, () -> {
      List<JsonNode> s = new ArrayList<>();
      for (String run : runs) {
        JsonNode one = status(launcher, run);
        if (one == null) {
          return null;
        }
        s.add(one);
      }
      List<String> all = s.stream().flatMap(r -> states(r).stream()).toList();
      boolean settled = all.stream().allMatch(state -> state.equals("SUCCEEDED") || state.equals("PAUSED"));
      return settled && all.contains("PAUSED") && all.contains("SUCCEEDED") ? s : null;
    });
    for (JsonNode s : stopped) {
      launcher.remember(s.get("engine").asText());
    }
    assertThat(stopped).as("each process ran its own run").extracting(s -> s.get("engine").asText())
        .doesNotHaveDuplicates();
    try (JdbcStore store = JdbcStore.embedded(temp.resolve("data").resolve("store"))) {
      Balance project = store.ledger().balance(new Account(BudgetScope.project("shared"), null));
      assertThat(project.spent()).as("spent by both processes together").isLessThanOrEqualTo(PROJECT_LIMIT)
          .isEqualByComparingTo(attemptCosts(store, runs));
      assertThat(project.spent()).as("work was done").isPositive();
      assertThat(project.reserved()).as("nothing stays reserved while the tasks wait").isZero();
      assertThat(Files.readAllLines(executions)).as("calls made").hasSize(calls(store, runs));
    }

    // A third command raises the limit: both runs go on and finish.
    Launcher.Result raise = launcher.run(LIMIT, "budget", "set", "--project", "shared", "--limit", "5");
    assertThat(raise.code()).as(raise.toString()).isZero();
    launcher.poll("both runs to finish", LIMIT, () -> {
      for (String run : runs) {
        JsonNode one = status(launcher, run);
        if (one == null || !one.get("run").get("status").asText().equals("SUCCEEDED")) {
          return null;
        }
      }
      return true;
    });
    try (JdbcStore store = JdbcStore.embedded(temp.resolve("data").resolve("store"))) {
      BigDecimal all = CALL_COST.multiply(BigDecimal.valueOf(2L * TASKS_PER_RUN));
      assertThat(costs(store, runs, a -> a.outcome() == Attempt.Outcome.SUCCEEDED)).as("the successes")
          .isEqualByComparingTo(all);
      // A call interrupted when its run was reloaded is recorded at its reservation, estimated, and charged once:
      // the ledger holds exactly what the attempts record.
      Balance project = store.ledger().balance(new Account(BudgetScope.project("shared"), null));
      assertThat(project.spent()).isEqualByComparingTo(attemptCosts(store, runs));
      assertThat(project.estimated()).as("the estimated part: the interrupted calls")
          .isEqualByComparingTo(costs(store, runs, a -> a.costBasis() == CostBasis.ESTIMATED));
      assertThat(Files.readAllLines(executions)).as("each call made once, but for interrupted ones")
          .hasSize(calls(store, runs)).containsAll(expectedCalls());
    }
  }


  /**
   * A run's status, or null when the store was busy (exit 5, "try again"): the poll asks again. While three
   * processes share the file on a loaded machine, a read may be refused that way; anything else fails the test.
   */
  private static @org.jspecify.annotations.Nullable JsonNode status(Launcher launcher, String runId)
      throws Exception {
    Launcher.Result r = launcher.run(LIMIT, "--project", "shared", "status", runId, "--json");
    if (r.code() == 5 && r.err().contains("stayed busy")) {
      return null;
    }
    assertThat(r.code()).as(r.toString()).isZero();
    return JSON.readTree(r.out());
  }



  /** What the runs' ended attempts cost (an attempt in flight holds its reservation, which is not spending). */
  private static BigDecimal attemptCosts(JdbcStore store, List<String> runs) {
    return costs(store, runs, a -> true);
  }

  private static BigDecimal costs(JdbcStore store, List<String> runs, Predicate<Attempt> which) {
    return runs.stream().flatMap(r -> store.tasks("shared", r).stream()).flatMap(t -> t.attempts().stream())
        .filter(a -> a.outcome() != null && which.test(a)).map(a -> a.cost().amount())
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /**
   * The calls the attempts account for: one per success, and one per attempt interrupted when its run was reloaded
   * (the process serving the embedded file exited while the end of a call was being written).
   */
  private static int calls(JdbcStore store, List<String> runs) {
    return (int) runs.stream().flatMap(r -> store.tasks("shared", r).stream()).flatMap(t -> t.attempts().stream())
        .filter(a -> a.outcome() == Attempt.Outcome.SUCCEEDED
            || a.message() != null && a.message().startsWith("interrupted")).count();
  }

  private static List<String> expectedCalls() {
    List<String> out = new ArrayList<>();
    for (String who : List.of("first", "second")) {
      for (int i = 0; i < TASKS_PER_RUN; i++) {
        out.add(who + "-" + i);
      }
    }
    return out;
  }
}
