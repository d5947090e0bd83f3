package dev.orchestrator.vcs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Run;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrayWorktreeTest {
  @TempDir Path tmp;

  private static long endedProcess() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  @Test
  void aKilledRunsWorktreeIsRemovedAtTheNextStart() throws Exception {
    TestRepo repo = new TestRepo(tmp.resolve("repo"));
    InMemoryStore store = InMemoryStore.create();
    VcsSettings settings = VcsSettings.builder(repo.dir).build();
    FileAgent agent = FileAgent.cli(task -> Map.of(task + ".txt", "half done\n"));
    agent.hold = true;
    // The process that started this call has ended: it stands for a run killed while its task ran.
    try (VersionControl killed = VersionControl.builder(store).project("demo", settings).processId(endedProcess())
        .build();
        Orchestrator o = Orchestrator.builder().store(store).provider(agent).decorateProviders(killed).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("a")).build());
      Poll.until("the call started", () -> agent.held.size() == 1);
      Path left = agent.directories.get("a");
      assertThat(left.resolve("a.txt")).exists();
      assertThat(repo.worktrees()).hasSize(2);

      try (VersionControl next = VersionControl.builder(store).project("demo", settings).build()) {
        assertThat(next.cleanUp()).isEmpty();
        assertThat(left).doesNotExist();
        assertThat(repo.worktrees()).hasSize(1);
        assertThat(repo.git.run("worktree", "list", "--porcelain")).doesNotContain("prunable");
        assertThat(repo.git.run("status", "--porcelain")).isEmpty();
      }
      run.cancel("test", "done");
    }
  }

  @Test
  void aLiveProcesssWorktreeIsKeptAndAnUnknownDirectoryIsRemoved() throws Exception {
    TestRepo repo = new TestRepo(tmp.resolve("repo"));
    InMemoryStore store = InMemoryStore.create();
    VcsSettings settings = VcsSettings.builder(repo.dir).build();
    FileAgent agent = FileAgent.cli(task -> Map.of());
    agent.hold = true;
    try (VersionControl vcs = VersionControl.builder(store).project("demo", settings).build();
        Orchestrator o = Orchestrator.builder().store(store).provider(agent).decorateProviders(vcs).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("a")).build());
      Poll.until("the call started", () -> agent.held.size() == 1);
      Path live = agent.directories.get("a");
      Path unknown = live.getParent().resolve("gone");
      Files.createDirectories(unknown.resolve("src"));

      try (VersionControl other = VersionControl.builder(store).project("demo", settings).build()) {
        assertThat(other.cleanUp()).isEmpty();
      }
      assertThat(live).exists();
      assertThat(unknown).doesNotExist();
      agent.held.forEach(f -> f.complete(null));
      run.completion().join();
      Poll.until("its worktree removed", () -> repo.worktrees().size() == 1);
    }
  }
}
