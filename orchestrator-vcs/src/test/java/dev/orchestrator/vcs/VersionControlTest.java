package dev.orchestrator.vcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.TaskCommittedEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.vcs.internal.Branches;
import dev.orchestrator.vcs.internal.Trailers;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionControlTest {
  @TempDir Path tmp;

  private TestRepo repo() {
    return new TestRepo(tmp.resolve("repo"));
  }

  private static RunSnapshot finish(Run run) throws Exception {
    return run.completion().get(60, TimeUnit.SECONDS);
  }

  private static Map<String, String> writes(String task) {
    return Map.of(task + ".txt", "written by " + task + "\n");
  }

  @Test
  void parallelTasksRunOnSeparateWorktreesAndLeaveNoneBehind() throws Exception {
    TestRepo repo = repo();
    InMemoryStore store = InMemoryStore.create();
    FileAgent agent = FileAgent.cli(VersionControlTest::writes);
    agent.hold = true;
    try (VersionControl vcs = VersionControl.builder(store)
        .project("demo", VcsSettings.builder(repo.dir).build()).build();
        Orchestrator o = Orchestrator.builder().store(store).provider(agent, 4).decorateProviders(vcs).build()) {
      Run run = o.submit("demo", Workflow.builder("w")
          .task("a", t -> t.instructions("Write a")).task("b", t -> t.instructions("Write b")).build());
      Poll.until("both calls in flight", () -> agent.held.size() == 2);
      assertThat(repo.worktrees()).hasSize(3);
      Path a = agent.directories.get("a");
      Path b = agent.directories.get("b");
      assertThat(a).isNotEqualTo(b);
      assertThat(a.resolve("b.txt")).doesNotExist();
      assertThat(b.resolve("a.txt")).doesNotExist();
      agent.held.forEach(f -> f.complete(null));

      assertThat(finish(run).status()).isEqualTo(RunStatus.SUCCEEDED);
      String id = run.id();
      assertThat(repo.show(Branches.task(id, "a"), "a.txt")).isEqualTo("written by a");
      assertThat(repo.show(Branches.task(id, "b"), "b.txt")).isEqualTo("written by b");
      assertThat(repo.git.exec("cat-file", "-e", Branches.task(id, "a") + ":b.txt").ok()).isFalse();
      assertThat(repo.rev(Branches.base(id))).isEqualTo(repo.rev("main"));
      assertThat(repo.show(Branches.run(id), "a.txt")).isEqualTo("written by a");
      assertThat(repo.show(Branches.run(id), "b.txt")).isEqualTo("written by b");
      Poll.until("worktrees removed", () -> repo.worktrees().size() == 1);
      assertThat(a).doesNotExist();
      assertThat(store.events("demo", id)).filteredOn(e -> e instanceof TaskCommittedEvent)
          .map(e -> (TaskCommittedEvent) e)
          .anySatisfy(e -> {
            assertThat(e.taskId()).isEqualTo("a");
            assertThat(e.action()).isEqualTo("task");
            assertThat(e.branch()).isEqualTo(Branches.task(id, "a"));
            assertThat(e.commit()).isEqualTo(repo.rev(Branches.task(id, "a")));
            assertThat(e.files()).containsExactly("a.txt");
          });
    }
  }

  @Test
  void trailersParseBackToTheAttemptsCostAndUsage() throws Exception {
    TestRepo repo = repo();
    InMemoryStore store = InMemoryStore.create();
    FileAgent agent = FileAgent.cli(VersionControlTest::writes);
    try (VersionControl vcs = VersionControl.builder(store)
        .project("demo", VcsSettings.builder(repo.dir).build()).build();
        Orchestrator o = Orchestrator.builder().store(store).provider(agent).decorateProviders(vcs).build()) {
      Run run = o.submit("demo", Workflow.builder("w")
          .task("a", t -> t.title("Write the first file").instructions("Write a")).build());
      assertThat(finish(run).status()).isEqualTo(RunStatus.SUCCEEDED);
      Attempt attempt = run.task("a").attempts().get(0);
      String message = repo.git.run("log", "-1", "--format=%B", Branches.task(run.id(), "a"));
      Map<String, String> trailers = Trailers.parse(message);

      assertThat(message).startsWith("Write the first file\n");
      assertThat(trailers).containsEntry("Orchestrator-Run", run.id()).containsEntry("Orchestrator-Task", "a")
          .containsEntry("Provider", "agent").containsEntry("Model", "agent-model-1")
          .containsEntry("Tokens-In", Long.toString(attempt.usage().inputTokens()))
          .containsEntry("Tokens-Out", Long.toString(attempt.usage().outputTokens()))
          .containsEntry("Prompt-SHA256", TaskWork.sha256("Write a"));
      assertThat(trailers.get("Cost-USD")).isEqualTo(attempt.cost().amount().toPlainString()).isEqualTo("0.012345");
      assertThat(new BigDecimal(trailers.get("Cost-USD"))).isEqualTo(attempt.cost().amount());
      assertThat(trailers.get("Cost-Basis")).isEqualTo("measured");
      assertThat(message).doesNotContain("Co-authored-by");
    }
  }

  @Test
  void anUnpricedAgentsCommitCarriesTheCostTheAttemptRecorded() throws Exception {
    TestRepo repo = repo();
    InMemoryStore store = InMemoryStore.create();
    FileAgent agent = FileAgent.cli(VersionControlTest::writes);
    agent.unpriced = true;
    try (VersionControl vcs = VersionControl.builder(store)
        .project("demo", VcsSettings.builder(repo.dir).build()).build();
        Orchestrator o = Orchestrator.builder().store(store).provider(agent).decorateProviders(vcs).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("Write a")).build());
      assertThat(finish(run).status()).isEqualTo(RunStatus.SUCCEEDED);
      Attempt attempt = run.task("a").attempts().get(0);
      Map<String, String> trailers = Trailers.parse(repo.git.run("log", "-1", "--format=%B",
          Branches.task(run.id(), "a")));
      assertThat(attempt.cost().amount()).isEqualByComparingTo("0.0625");
      assertThat(trailers.get("Cost-USD")).isEqualTo(attempt.cost().amount().toPlainString());
      assertThat(trailers.get("Cost-Basis")).isEqualTo(attempt.costBasis().name().toLowerCase());
      assertThat(trailers.get("Tokens-In")).isEqualTo(Long.toString(attempt.usage().inputTokens()));
    }
  }

  @Test
  void dependantsStartFromTheirParentsMergedChanges() throws Exception {
    TestRepo repo = repo();
    InMemoryStore store = InMemoryStore.create();
    FileAgent agent = FileAgent.cli(VersionControlTest::writes);
    try (VersionControl vcs = VersionControl.builder(store)
        .project("demo", VcsSettings.builder(repo.dir).build()).build();
        Orchestrator o = Orchestrator.builder().store(store).provider(agent).decorateProviders(vcs).build()) {
      Run run = o.submit("demo", Workflow.builder("w")
          .task("a", t -> t.instructions("a")).task("b", t -> t.instructions("b"))
          .task("c", t -> t.instructions("c").dependsOn("a")).build());
      assertThat(finish(run).status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(agent.saw.get("c")).containsEntry("a.txt", true);
      assertThat(agent.saw.get("a")).containsEntry("b.txt", false);
      assertThat(repo.show(Branches.task(run.id(), "c"), "a.txt")).isEqualTo("written by a");
    }
  }

  @Test
  void leavePolicyKeepsEveryBranchApartAndMergesNothing() throws Exception {
    TestRepo repo = repo();
    InMemoryStore store = InMemoryStore.create();
    FileAgent agent = FileAgent.cli(VersionControlTest::writes);
    try (VersionControl vcs = VersionControl.builder(store)
        .project("demo", VcsSettings.builder(repo.dir).integration(Integration.LEAVE).build()).build();
        Orchestrator o = Orchestrator.builder().store(store).provider(agent).decorateProviders(vcs).build()) {
      Run run = o.submit("demo", Workflow.builder("w")
          .task("a", t -> t.instructions("a")).task("c", t -> t.instructions("c").dependsOn("a")).build());
      assertThat(finish(run).status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(agent.saw.get("c")).containsEntry("a.txt", false);
      assertThat(repo.rev(Branches.run(run.id()))).isEqualTo(repo.rev(Branches.base(run.id())));
    }
  }

  @Test
  void aMergeConflictMakesTheDependantWaitWithTheReason() throws Exception {
    TestRepo repo = repo();
    InMemoryStore store = InMemoryStore.create();
    FileAgent agent = FileAgent.cli(task -> task.equals("c") ? Map.of() : Map.of("shared.txt", "by " + task + "\n"));
    try (VersionControl vcs = VersionControl.builder(store)
        .project("demo", VcsSettings.builder(repo.dir).build()).build();
        Orchestrator o = Orchestrator.builder().store(store).provider(agent).decorateProviders(vcs).build()) {
      Run run = o.submit("demo", Workflow.builder("w")
          .task("a", t -> t.instructions("a")).task("b", t -> t.instructions("b"))
          .task("c", t -> t.instructions("c").dependsOn("a", "b")).build());
      Poll.until("c waits", () -> run.task("c").state() == TaskState.AWAITING_INPUT);
      assertThat(run.task("c").question().text()).contains("conflicts in shared.txt")
          .contains(Branches.run(run.id()));
      assertThat(run.task("a").state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(agent.saw).doesNotContainKey("c");
      Poll.until("worktrees removed", () -> repo.worktrees().size() == 1);
    }
  }

  @Test
  void aConflictResolvedByHandLetsTheDependantGoOnOnceAnswered() throws Exception {
    TestRepo repo = repo();
    InMemoryStore store = InMemoryStore.create();
    FileAgent agent = FileAgent.cli(task -> task.equals("c") ? Map.of("c.txt", "c\n")
        : Map.of("shared.txt", "by " + task + "\n"));
    try (VersionControl vcs = VersionControl.builder(store)
        .project("demo", VcsSettings.builder(repo.dir).build()).build();
        Orchestrator o = Orchestrator.builder().store(store).provider(agent).decorateProviders(vcs).build()) {
      Run run = o.submit("demo", Workflow.builder("w")
          .task("a", t -> t.instructions("a")).task("b", t -> t.instructions("b"))
          .task("c", t -> t.instructions("c").dependsOn("a", "b")).build());
      Poll.until("c waits", () -> run.task("c").state() == TaskState.AWAITING_INPUT);
      String id = run.id();

      // The user merges both branches into the run's branch in a checkout of their own, keeping both lines.
      Path fix = tmp.resolve("fix");
      repo.git.run("worktree", "add", "--quiet", fix.toString(), Branches.run(id));
      TestRepo f = new TestRepo.Existing(fix).repo();
      for (String task : new String[] {"a", "b"}) {
        if (!f.git.exec("merge", "--quiet", "--no-edit", Branches.task(id, task)).ok()) {
          f.write("shared.txt", "by a\nby b\n");
          f.git.run("add", "shared.txt");
          f.git.run("commit", "--quiet", "--no-edit");
        }
      }
      repo.git.run("worktree", "remove", fix.toString());
      o.answer(o.questions("demo").get(0).id(), "merged by hand");

      assertThat(finish(run).status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(repo.show(Branches.task(id, "c"), "shared.txt")).isEqualTo("by a\nby b");
      assertThat(repo.show(Branches.run(id), "c.txt")).isEqualTo("c");
    }
  }

  @Test
  void outputFileWritesTheTextOutputAndCommitsIt() throws Exception {
    TestRepo repo = repo();
    InMemoryStore store = InMemoryStore.create();
    FileAgent writer = new FileAgent("openai", t -> Map.of());
    try (VersionControl vcs = VersionControl.builder(store)
        .project("demo", VcsSettings.builder(repo.dir).outputFile("publish", "blog/tides.md").build()).build();
        Orchestrator o = Orchestrator.builder().store(store).provider(writer).decorateProviders(vcs).build()) {
      Run run = o.submit("demo", Workflow.builder("w")
          .task("draft", t -> t.instructions("draft")).task("publish", t -> t.instructions("post")).build());
      assertThat(finish(run).status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(repo.show(Branches.task(run.id(), "publish"), "blog/tides.md")).isEqualTo("output of publish");
      assertThat(repo.git.exec("rev-parse", "--verify", "--quiet", Branches.ref(Branches.task(run.id(), "draft")))
          .ok()).as("an openai task without an output file gets no branch").isFalse();
      assertThat(Trailers.parse(repo.git.run("log", "-1", "--format=%B", Branches.task(run.id(), "publish"))))
          .containsEntry("Orchestrator-Action", "output");
    }
  }

  @Test
  void outputPathsThatLeaveTheRepositoryAreRefused() {
    VcsSettings.Builder b = VcsSettings.builder(tmp);
    assertThatThrownBy(() -> b.outputFile("publish", "../outside.md")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vcs.output.publish").hasMessageContaining("../outside.md")
        .hasMessageContaining("inside the repository");
    assertThatThrownBy(() -> b.outputFile("publish", "/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.outputFile("publish", "blog/../../x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.outputFile("publish", ".git/config")).isInstanceOf(IllegalArgumentException.class);
    assertThat(b.outputFile("publish", "blog/./post.md").build().outputFiles()).containsEntry("publish",
        "blog/post.md");
    assertThatThrownBy(() -> VcsSettings.fromMap(Map.of(VcsSettings.REPOSITORY, "/r", VcsSettings.INTEGRATION,
        "squash"))).hasMessageContaining("vcs.integration must be merge or leave (was 'squash')");
  }
}
