package dev.orchestrator.vcs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.TaskCommittedEvent;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.store.jdbc.JdbcStore;
import dev.orchestrator.vcs.internal.Branches;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings kept in the project's stored settings, and commit events that round-trip through the JDBC store. */
class JdbcStoreRoundTripTest {
  @TempDir Path tmp;

  @Test
  void theProjectsStoredSettingsDriveItAndItsCommitEventsReadBack() throws Exception {
    TestRepo repo = new TestRepo(tmp.resolve("repo"));
    Path data = tmp.resolve("data");
    String id;
    List<TaskCommittedEvent> written;
    try (JdbcStore store = JdbcStore.embedded(data)) {
      store.createProject(Project.builder().name("site").createdAt(Instant.parse("2026-12-06T06:00:00Z"))
          .zone(ZoneOffset.UTC).settings(VcsSettings.builder(repo.dir).build().toSettings()).build());
      FileAgent agent = FileAgent.cli(task -> Map.of("docs/" + task + ".md", "# " + task + "\n"));
      try (VersionControl vcs = VersionControl.builder(store).build();
          Orchestrator o = Orchestrator.builder().store(store).provider(agent).decorateProviders(vcs).build()) {
        Run run = o.submit("site", Workflow.builder("w").task("a", t -> t.instructions("a"))
            .task("b", t -> t.instructions("b").dependsOn("a")).build());
        assertThat(run.completion().get(60, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.SUCCEEDED);
        id = run.id();
      }
      written = commits(store, id);
    }
    assertThat(written).extracting(TaskCommittedEvent::action).contains("task", "merge");
    try (JdbcStore reopened = JdbcStore.embedded(data)) {
      List<TaskCommittedEvent> read = commits(reopened, id);
      assertThat(read).isEqualTo(written);
      assertThat(read).filteredOn(e -> e.action().equals("task") && e.taskId().equals("b")).singleElement()
          .satisfies(e -> {
            assertThat(e.files()).containsExactly("docs/b.md");
            assertThat(e.branch()).isEqualTo(Branches.task(id, "b"));
            assertThat(e.commit()).isEqualTo(repo.rev(Branches.task(id, "b")));
          });
    }
  }

  private static List<TaskCommittedEvent> commits(JdbcStore store, String runId) {
    return store.events("site", runId).stream().filter(e -> e instanceof TaskCommittedEvent)
        .map(e -> (TaskCommittedEvent) e).toList();
  }
}
