package dev.orchestrator.dashboard;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.templates.BoundTemplate;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.plan.PlanningContext;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One engine and one dashboard for the run page, runs list, charts and builder tests, with runs already in the
 * store: project {@code list} has 22 runs of the user template "Weekly Digest" on claude, 2 of "Report" on chatgpt,
 * one "Broken" run that failed (its provider refuses every call) and one "Stuck" run cancelled while its call hung;
 * budgets are set for the project, everything and claude. claude and chatgpt answer at once with Markdown.
 */
final class PagesFixture implements AutoCloseable {
  /** What claude answers: Markdown with a script that must never run or show as an element. */
  static final String MARKDOWN = "## Summary\n\n- **bold point**\n- second point\n\n<script>window.__pwned = 1"
      + "</script><img src=x onerror=\"window.__pwned = 2\">\n";
  /** The author's question to critic, in the text protocol, with markup that must show as text or not at all. */
  static final String QUESTION = "ASK critic: Is <script>window.__pwned = 3</script><img src=x "
      + "onerror=\"window.__pwned = 4\"> warm enough?";
  /** The commits {@link #commit(Run)} records for a conversation's task and its merge into the run's branch. */
  static final String TASK_COMMIT = "3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39";
  static final String MERGE_COMMIT = "9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c";
  static final String DIGEST = """
      {
        "name": "Weekly Digest",
        "description": "Collects the week's news on a topic and writes a digest.",
        "parameters": {
          "topic": {"type": "string", "description": "What the digest is about.", "example": "tides"},
          "words": {"type": "integer", "default": 300, "min": 100, "max": 2000},
          "tone": {"type": "enum", "allowed_values": ["plain", "playful"], "default": "plain"}
        },
        "tasks": [
          {"id": "collect", "title": "Collect news on {{topic}}", "assigned_to": "claude",
           "instructions": "Collect this week's news about {{topic}}."},
          {"id": "write", "title": "Write the digest", "assigned_to": "claude", "depends_on": ["collect"],
           "instructions": "Write a {{tone}} digest of {{words}} words from:\\n{{tasks.collect.output}}"}
        ]
      }
      """;

  final Path templates;
  final InMemoryStore store = InMemoryStore.create();
  final FakeProvider claude = FakeProvider.builder("claude")
      .otherwise(req -> Reply.text(MARKDOWN, TokenUsage.of(120, 40))).costPerCall(Money.usd("0.02"))
      .estimate(estimate("0.01", "0.02", "0.04")).build();
  final FakeProvider chatgpt = FakeProvider.builder("chatgpt")
      .otherwise(req -> Reply.text("Done.", TokenUsage.of(80, 20))).costPerCall(Money.usd("0.05"))
      .estimate(estimate("0.03", "0.05", "0.08")).build();
  final FakeProvider flaky = FakeProvider.builder("flaky").otherwise(req -> Reply.failure(ErrorKind.AUTH)).build();
  final FakeProvider slow = FakeProvider.builder("slow").otherwise(req -> Reply.hang()).build();
  /** Asks a question at its first call, then answers. */
  final FakeProvider asker = FakeProvider.builder("asker").script(Reply.ask("Which tone should it take?"))
      .otherwise(req -> Reply.text("Written in the tone asked for.")).build();
  /** Consults critic once (its question carrying a script that must never run), then gives its final answer. */
  final FakeProvider author = FakeProvider.builder("author").script(Reply.text(QUESTION, TokenUsage.of(50, 12)))
      .otherwise(req -> Reply.text("A **warmer** launch post.", TokenUsage.of(70, 20)))
      .costPerCall(Money.usd("0.01")).build();
  final FakeProvider critic = FakeProvider.builder("critic")
      .otherwise(req -> Reply.text("Too formal; be warmer.", TokenUsage.of(30, 10))).costPerCall(Money.usd("0.03"))
      .build();
  final Orchestrator orchestrator;
  /** Schedules the template form adds; this one only keeps them (nothing fires in the tests). */
  final dev.orchestrator.core.schedule.Scheduling scheduling;
  final Dashboard dashboard;

  PagesFixture() {
    try {
      templates = Files.createTempDirectory("dashboard-templates-");
      Files.writeString(templates.resolve("weekly-digest.json"), DIGEST);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    orchestrator = Orchestrator.builder().store(store).provider(claude, 4).provider(chatgpt, 4).provider(flaky)
        .provider(slow).provider(asker).provider(author).provider(critic).defaultProvider("claude").guard(new TwoPoints()).build();
    // A scheduler whose time the test moves (it never does): the schedules are only kept, never fired.
    dev.orchestrator.testkit.MutableClock time = dev.orchestrator.testkit.MutableClock.at(java.time.Instant.now(),
        java.time.ZoneOffset.UTC);
    scheduling = dev.orchestrator.core.schedule.Scheduling.builder().orchestrator(orchestrator)
        .store(dev.orchestrator.core.schedule.InMemoryScheduleStore.create()).clock(time)
        .scheduler(new dev.orchestrator.testkit.ManualScheduler(time)).firing(false).build();
    dashboard = Dashboard.start(orchestrator, DashboardOptions.builder()
        .planningContext(PlanningContext.builder().provider("claude", "anthropic").provider("chatgpt", "openai")
            .provider("flaky", "openai").provider("slow", "openai").defaultProvider("claude").build())
        .templateDirectory(templates)
        .scheduling(scheduling)
        .build());
    orchestrator.setBudget(Budget.builder().scope(BudgetScope.project("list")).limit(Money.usd("5")).build());
    orchestrator.setBudget(Budget.builder().scope(BudgetScope.global()).limit(Money.usd("20")).build());
    orchestrator.setBudget(Budget.builder().scope(BudgetScope.provider("claude")).limit(Money.usd("2")).build());
    Template digest = Template.parse(DIGEST);
    for (int i = 0; i < 22; i++) {
      BoundTemplate bound = digest.bind(Map.of("topic", "topic " + i));
      finish(orchestrator.submit("list", bound.workflow(), bound.values()));
    }
    for (int i = 0; i < 2; i++) {
      finish(orchestrator.submit("list", Workflow.builder("Report")
          .task("report", t -> t.title("Report").instructions("Report the week").provider("chatgpt")).build()));
    }
    finish(orchestrator.submit("list", Workflow.builder("Broken")
        .task("doomed", t -> t.title("Doomed").instructions("Fails").provider("flaky")).build()));
    Run stuck = orchestrator.submit("list", Workflow.builder("Stuck")
        .task("hangs", t -> t.title("Hangs").instructions("Never answers").provider("slow")).build());
    Await.until("the stuck run's call", () -> slow.callCount() == 1);
    stuck.cancel("test", "stuck");
    finish(stuck);
  }

  /**
   * A run of project {@code talk} whose task {@code draft} (on author) consults critic once through the engine's
   * collaboration (the text protocol): its conversation is a question, an answer and a final answer, in attempt 1.
   */
  Run conversation() {
    Run run = orchestrator.submit("talk", Workflow.builder("Launch post").task("draft", t -> t.title("Draft the post")
        .instructions("Draft a launch post.").provider("author").collaborators("critic")).build());
    finish(run);
    return run;
  }

  /**
   * Records what version control writes for a task's commit and its merge into the run's branch, as another process
   * would: the events go into the store.
   */
  void commit(Run run) {
    java.time.Instant at = java.time.Instant.now();
    store.append(new dev.orchestrator.event.TaskCommittedEvent("talk", run.id(), "draft", at, "task", TASK_COMMIT,
        "orchestrator/" + run.id() + "/draft", java.util.List.of("posts/launch.md", "README.md")));
    store.append(new dev.orchestrator.event.TaskCommittedEvent("talk", run.id(), "draft", at, "merge", MERGE_COMMIT,
        "orchestrator/" + run.id() + "/@run", java.util.List.of("posts/launch.md", "README.md")));
  }

  /**
   * Makes {@code repo} a git repository with one commit of {@code file}, stores it as project {@code talk}'s
   * repository (as version control's settings are stored) and records that commit for the run's task {@code draft};
   * returns the commit's id.
   */
  String commitInRepository(Run run, Path repo, String file, String content) {
    git(repo, "init", "-q");
    try {
      Files.writeString(repo.resolve(file), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(repo, "add", file);
    git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "draft: the post");
    String commit = git(repo, "rev-parse", "HEAD").strip();
    dev.orchestrator.project.Project talk = store.project("talk").orElseThrow();
    store.updateProject(talk.withSettings(dev.orchestrator.vcs.VcsSettings.builder(repo).build().toSettings()));
    store.append(new dev.orchestrator.event.TaskCommittedEvent("talk", run.id(), "draft", java.time.Instant.now(),
        "task", commit, "orchestrator/" + run.id() + "/draft", java.util.List.of(file)));
    return commit;
  }

  /** Forgets project {@code talk}'s repository and deletes it. */
  void dropRepository(Path repo) {
    store.updateProject(store.project("talk").orElseThrow().withSettings(Map.of()));
    try (var files = Files.walk(repo)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // A temp directory left behind is harmless.
    }
  }

  private static String git(Path dir, String... args) {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("git", "-C", dir.toString()));
    command.addAll(java.util.List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Flags a digest written from only two points: a guard result for the run page to show. */
  static final class TwoPoints implements dev.orchestrator.spi.guard.Guard {
    @Override
    public String name() {
      return "two-points";
    }

    @Override
    public dev.orchestrator.spi.guard.Verdict checkOutput(dev.orchestrator.spi.guard.GuardInput input) {
      return input.taskId().equals("write") && input.text().contains("second point")
          ? dev.orchestrator.spi.guard.Verdict.flag("the digest has only two points")
          : dev.orchestrator.spi.guard.Verdict.allow();
    }
  }

  /** What a dry run expects a call to cost. */
  private static dev.orchestrator.spi.provider.CostEstimate estimate(String low, String expected, String high) {
    return dev.orchestrator.spi.provider.CostEstimate.of(TokenUsage.of(120, 40), Money.usd(low), Money.usd(expected),
        Money.usd(high), java.time.Duration.ofSeconds(2));
  }

  static RunSnapshot finish(Run run) {
    try {
      return run.completion().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("run " + run.id() + " did not finish: " + e, e);
    }
  }

  Http http() {
    Http http = new Http(dashboard.url());
    http.session();
    return http;
  }

  @Override
  public void close() {
    dashboard.close();
    scheduling.close();
    orchestrator.close();
    try (var files = Files.walk(templates)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp directory left behind is harmless.
    }
  }
}
