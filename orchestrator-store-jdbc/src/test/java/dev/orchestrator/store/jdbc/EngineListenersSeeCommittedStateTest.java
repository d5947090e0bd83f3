package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.run.TaskState;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine tells its listeners and run completions has already been committed: another connection to the
 * same store (the dashboard's, another CLI process's) reading on the event finds the state the event reports.
 */
class EngineListenersSeeCommittedStateTest {
  @TempDir
  Path dataDir;

  @Test
  void aListenerToldOfASuccessReadsItAndItsCostFromAnotherConnection() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-01-05T00:00:00Z"), ZoneOffset.UTC);
    try (JdbcStore store = JdbcStore.embedded(dataDir); JdbcStore other = JdbcStore.embedded(dataDir)) {
      List<String> seen = new ArrayList<>();
      FakeProvider claude = FakeProvider.echo("claude");
      try (Orchestrator orchestrator = Orchestrator.builder().clock(clock).scheduler(new ManualScheduler(clock))
          .executor(Runnable::run).provider(claude).store(store)
          .listener(e -> {
            if (e instanceof TaskSucceededEvent s) {
              TaskRecord t = other.task(s.project(), s.runId(), s.taskId()).orElseThrow();
              seen.add(s.taskId() + " " + t.state() + " " + t.attempts().size());
            } else if (e instanceof RunFinishedEvent f) {
              seen.add("run " + other.run(f.project(), f.runId()).orElseThrow().status());
            }
          }).build()) {
        RunSnapshot done = orchestrator.submit("blog", Workflow.builder("w")
                .task("outline", t -> t.instructions("Outline"))
                .task("draft", t -> t.instructions("Draft").dependsOn("outline")).build())
            .completion().join();

        assertThat(seen).containsExactly("outline SUCCEEDED 1", "draft SUCCEEDED 1", "run SUCCEEDED");
        assertThat(other.run("blog", done.run().id()).orElseThrow().status()).isEqualTo(done.run().status());
        assertThat(other.tasks("blog", done.run().id())).extracting(TaskRecord::state)
            .containsOnly(TaskState.SUCCEEDED);
      }
    }
  }
}
