package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded store promises beyond the contract: migrations, sharing between processes, exact limits. */
class EmbeddedStoreTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456Z");

  @TempDir
  Path dataDir;

  static RunRecord run(String project, String id) {
    return RunRecord.submitted(project, id, "wf", Map.of(), T0);
  }

  @Test
  void theSchemaVersionIsRecordedAndASecondStartMigratesNothing() throws Exception {
    try (JdbcStore first = JdbcStore.embedded(dataDir)) {
      assertThat(first.schemaVersion()).isEqualTo("13");
      assertThat(first.migrationsExecuted()).isEqualTo(13);
      first.createRun(run("p", "r"), "{}", List.of());
    }
    try (JdbcStore second = JdbcStore.embedded(dataDir)) {
      assertThat(second.schemaVersion()).isEqualTo("13");
      assertThat(second.migrationsExecuted()).isZero();
      assertThat(second.run("p", "r")).isPresent();
    }
    String url = "jdbc:h2:file:" + dataDir.resolve(JdbcStore.EMBEDDED_DATABASE_NAME) + ";AUTO_SERVER=TRUE";
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT \"version\", \"success\" FROM \"" + JdbcStore.SCHEMA_HISTORY_TABLE
            + "\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + ":" + rs.getBoolean(2));
      }
      assertThat(rows).containsExactly("1:true", "2:true", "3:true", "4:true", "5:true", "6:true", "7:true", "8:true",
          "9:true", "10:true", "11:true", "12:true", "13:true");
    }
  }

  @Test
  void aSecondConnectionThroughTheAutomaticServerSeesWrites() throws Exception {
    try (JdbcStore store = JdbcStore.embedded(dataDir)) {
      store.createRun(run("p", "r1"), "{\"v\":1}", List.of());
      String url = "jdbc:h2:file:" + dataDir.resolve(JdbcStore.EMBEDDED_DATABASE_NAME) + ";AUTO_SERVER=TRUE";
      try (Connection c = DriverManager.getConnection(url, "sa", "");
          Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT definition FROM runs WHERE project = 'p' AND run_id = 'r1'")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("{\"v\":1}");
        }
        s.executeUpdate("UPDATE runs SET status = 'FAILED' WHERE project = 'p' AND run_id = 'r1'");
      }
      assertThat(store.run("p", "r1").orElseThrow().status()).isEqualTo(RunStatus.FAILED);
    }
  }

  @Test
  void anotherProcessSharesTheDataDirectory() throws Exception {
    try (JdbcStore store = JdbcStore.embedded(dataDir)) {
      store.createRun(run("shared", "from-parent"), "{}", List.of());

      Path log = dataDir.resolve("child.log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          EmbeddedStoreProcess.class.getName(), dataDir.toString(), "from-parent", "from-child")
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      boolean ended = child.waitFor(90, TimeUnit.SECONDS);
      if (!ended) {
        child.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(ended).as("the child process ended; its output:%n%s", output).isTrue();
      assertThat(child.exitValue()).as("the child's exit code; its output:%n%s", output).isZero();

      assertThat(store.run("shared", "from-child")).as("the child's run, read by the parent").isPresent();
      assertThat(store.runs("shared")).extracting(RunRecord::id).containsExactly("from-parent", "from-child");
    }
  }

  @Test
  void aReaderMissesNoEventThatAnotherProcessAppendsAtTheSameTime() throws Exception {
    int perWriter = 300;
    java.util.concurrent.ExecutorService threads = StreamFollowing.threads(3);
    try (JdbcStore store = JdbcStore.embedded(dataDir)) {
      Path log = dataDir.resolve("appender.log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          EventAppenderProcess.class.getName(), dataDir.toString(), "child", String.valueOf(perWriter))
          .redirectError(log.toFile())
          .start();
      try {
        java.io.BufferedReader childOut = new java.io.BufferedReader(
            new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = childOut.readLine()) != null && !line.equals("ready")) {
          // the child prints nothing else on its standard output
        }
        assertThat(line).as("the child opened the store; its log:%n%s", Files.readString(log)).isEqualTo("ready");

        java.util.concurrent.atomic.AtomicInteger localDone = new java.util.concurrent.atomic.AtomicInteger();
        var seen = StreamFollowing.follow(threads, store, () -> localDone.get() == 2 && !child.isAlive());
        child.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
        child.getOutputStream().flush();
        var writers = List.of("parent-a", "parent-b").stream().map(w -> threads.submit(() -> {
          StreamFollowing.append(store, w, perWriter);
          localDone.incrementAndGet();
          return null;
        })).toList();
        for (var w : writers) {
          StreamFollowing.await(w);
        }
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child ended").isTrue();
        assertThat(child.exitValue()).as("the child's exit code; its log:%n%s", Files.readString(log)).isZero();
        StreamFollowing.check(StreamFollowing.await(seen), store, List.of("parent-a", "parent-b", "child"),
            perWriter);
      } finally {
        child.destroyForcibly();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anEventOfATypeThisVersionDoesNotKnowIsSkippedWithOneWarning() throws Exception {
    try (JdbcStore store = JdbcStore.embedded(dataDir)) {
      StreamFollowing.append(store, "w", 1);
      String url = "jdbc:h2:file:" + dataDir.resolve(JdbcStore.EMBEDDED_DATABASE_NAME) + ";AUTO_SERVER=TRUE";
      try (Connection c = DriverManager.getConnection(url, "sa", "")) {
        JdbcStoreH2Test.insertEventOfUnknownType(c, "p-w", "run-w");
        JdbcStoreH2Test.insertEventOfUnknownType(c, "p-w", "run-w");
      }
      java.io.PrintStream err = System.err;
      java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
      System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        assertThat(store.eventsAfter(0, 10)).extracting(e -> e.event()).containsExactly(StreamFollowing.event("w", 0));
        assertThat(store.events("p-w", "run-w")).containsExactly(StreamFollowing.event("w", 0));
      } finally {
        System.setErr(err);
      }
      String log = captured.toString(StandardCharsets.UTF_8);
      assertThat(log).contains("Skipping events of a type this version does not know", "type=TaskTeleportedEvent");
      assertThat(log.split("Skipping events", -1)).as("one warning per type, however often it is met").hasSize(2);
    }
  }

  @Test
  void budgetLimitsBeyondEighteenDecimalPlacesAreRefusedNotRounded() {
    try (JdbcStore store = JdbcStore.embedded(dataDir)) {
      assertThatThrownBy(() -> store.saveBudget(Budget.of(BudgetScope.global(),
          Money.usd("0.0000000000000000001"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("18 decimal places")
          .hasMessageContaining("0.0000000000000000001");
      store.saveBudget(Budget.of(BudgetScope.global(), Money.usd("0.000000000000000001")));
      assertThat(store.budgets()).containsExactly(Budget.of(BudgetScope.global(),
          Money.usd("0.000000000000000001")));
      assertThat(store.budgets().get(0).limit().amount().toPlainString()).isEqualTo("0.000000000000000001");
    }
  }

  @Test
  void aClosedStoreSaysSo() {
    JdbcStore store = JdbcStore.embedded(dataDir);
    store.close();
    assertThatThrownBy(() -> store.runs("p")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aFileIsNotADataDirectory() throws Exception {
    Path file = Files.writeString(dataDir.resolve("file"), "x");
    assertThatThrownBy(() -> JdbcStore.embedded(file)).isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("is a file, not a directory")
        .extracting(e -> ((StoreUnavailableException) e).reason())
        .isEqualTo(StoreUnavailableException.Reason.NOT_A_DIRECTORY);
  }

  @Test
  void toStringSaysWhereTheDataIs() {
    try (JdbcStore store = JdbcStore.embedded(dataDir)) {
      assertThat(store.toString()).contains("h2").contains(dataDir.toAbsolutePath().toString());
    }
  }
}
