package dev.orchestrator.vcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.TaskCommittedEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.vcs.internal.Branches;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollbackTest {
  @TempDir Path tmp;

  private TestRepo repo;
  private InMemoryStore store;

  /** Runs a (a.txt), b (b.txt) side by side and, when {@code withC}, c (c.txt) after both; returns the run id. */
  private String run(VersionControl vcs, boolean withC) throws Exception {
    FileAgent agent = FileAgent.cli(task -> Map.of(task + ".txt", "written by " + task + "\n"));
    Workflow.Builder w = Workflow.builder("w").task("a", t -> t.instructions("a"))
        .task("b", t -> t.instructions("b"));
    if (withC) {
      w.task("c", t -> t.instructions("c").dependsOn("a", "b"));
    }
    try (Orchestrator o = Orchestrator.builder().store(store).provider(agent, 4).decorateProviders(vcs).build()) {
      Run run = o.submit("demo", w.build());
      assertThat(run.completion().get(60, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.SUCCEEDED);
      return run.id();
    }
  }

  private VersionControl vcs() {
    repo = new TestRepo(tmp.resolve("repo"));
    store = InMemoryStore.create();
    return VersionControl.builder(store).project("demo", VcsSettings.builder(repo.dir).build()).build();
  }

  @Test
  void rollingBackATaskRevertsExactlyItsCommits() throws Exception {
    try (VersionControl vcs = vcs()) {
      String id = run(vcs, false);
      String runBranch = Branches.run(id);
      assertThat(repo.show(runBranch, "a.txt")).isEqualTo("written by a");

      Rollback r = vcs.rollbackTask("demo", id, "a", false);

      assertThat(r.tasks()).containsExactly("a");
      assertThat(r.branch()).isEqualTo(runBranch);
      assertThat(r.reverted()).containsExactly(repo.rev(Branches.task(id, "a")));
      assertThat(repo.tree(runBranch)).as("the run's tree is b's alone").isEqualTo(repo.tree(Branches.task(id, "b")));
      assertThat(store.events("demo", id)).filteredOn(e -> e instanceof TaskCommittedEvent c
          && c.action().equals("revert")).singleElement()
          .satisfies(e -> assertThat(((TaskCommittedEvent) e).files()).containsExactly("a.txt"));
      assertThat(vcs.rollbackTask("demo", id, "a", false).commit()).as("a second rollback has nothing to do")
          .isNull();
      assertThat(repo.worktrees()).hasSize(1);
    }
  }

  @Test
  void laterWorkMakesItRefuseUnlessCascade() throws Exception {
    try (VersionControl vcs = vcs()) {
      String id = run(vcs, true);
      String runBranch = Branches.run(id);
      String before = repo.rev(runBranch);

      assertThatThrownBy(() -> vcs.rollbackTask("demo", id, "b", false)).isInstanceOf(VcsException.class)
          .hasMessageContaining("later work depends on task b").hasMessageContaining("c")
          .hasMessageContaining("--cascade");
      assertThat(repo.rev(runBranch)).as("a refusal changes nothing").isEqualTo(before);

      Rollback r = vcs.rollbackTask("demo", id, "b", true);

      assertThat(r.tasks()).containsExactly("b", "c");
      assertThat(repo.tree(runBranch)).as("only a's work is left").isEqualTo(repo.tree(Branches.task(id, "a")));
    }
  }

  @Test
  void rollingBackARunResetsItsBranchToTheBaseTree() throws Exception {
    try (VersionControl vcs = vcs()) {
      String id = run(vcs, true);
      Rollback r = vcs.rollbackRun("demo", id);
      assertThat(r.commit()).isEqualTo(repo.rev(Branches.base(id)));
      assertThat(repo.tree(Branches.run(id))).isEqualTo(repo.tree("main"));
      assertThat(repo.rev(Branches.task(id, "c"))).as("task branches stay for review").isNotBlank();
    }
  }

  @Test
  void theUsersDirtyWorkingTreesAreNeverTouched() throws Exception {
    try (VersionControl vcs = vcs()) {
      repo.write("shared.txt", "my own edit\n");
      repo.write("notes.txt", "untracked\n");
      repo.write("staged.txt", "staged\n");
      repo.git.run("add", "staged.txt");
      String status = repo.git.run("status", "--porcelain");
      String head = repo.rev("HEAD");

      String id = run(vcs, true);
      vcs.rollbackTask("demo", id, "a", true);

      assertThat(repo.git.run("status", "--porcelain")).isEqualTo(status);
      assertThat(repo.read("shared.txt")).isEqualTo("my own edit\n");
      assertThat(repo.read("notes.txt")).isEqualTo("untracked\n");
      assertThat(repo.rev("HEAD")).isEqualTo(head);
      assertThat(repo.rev(Branches.base(id))).as("the base is the last commit, not the edits").isEqualTo(head);

      Path review = tmp.resolve("review");
      repo.git.run("worktree", "add", "--quiet", review.toString(), Branches.run(id));
      TestRepo reviewTree = new TestRepo.Existing(review).repo();
      reviewTree.write("b.txt", "reviewer's edit\n");
      String reviewHead = reviewTree.rev("HEAD");

      assertThatThrownBy(() -> vcs.rollbackRun("demo", id)).isInstanceOf(VcsException.class)
          .hasMessageContaining("checked out at " + review).hasMessageContaining("not committed");
      assertThatThrownBy(() -> vcs.rollbackTask("demo", id, "b", true)).isInstanceOf(VcsException.class)
          .hasMessageContaining("not committed");
      assertThat(reviewTree.read("b.txt")).isEqualTo("reviewer's edit\n");
      assertThat(reviewTree.rev("HEAD")).isEqualTo(reviewHead);
    }
  }
}
