package dev.orchestrator.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.Money;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.GuardTriggeredEvent;
import dev.orchestrator.event.MessageExchangedEvent;
import dev.orchestrator.event.ReviewCompletedEvent;
import dev.orchestrator.event.TaskCommittedEvent;
import dev.orchestrator.event.TaskTransitionEvent;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.StoreView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The run page: the run's dependency graph (from the workflow definition the store keeps with the run) and, per task,
 * its rendered prompt, output, attempts, review verdicts, guard results, question and answer, and the state
 * transitions for the timeline, its conversation with its collaborators and reviewers (by attempt, as
 * {@code orchestrator logs} prints it) and its version-control commits, all read from the store's events, so runs
 * of any process show. Stateless; thread-safe.
 */
final class RunDetails {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StoreView store;
  private final Views views;
  private final CommitDiffs diffs;

  RunDetails(StoreView store, Views views, CommitDiffs diffs) {
    this.store = store;
    this.views = views;
    this.diffs = diffs;
  }

  /** A node of the graph: a task and what it waits for. */
  record Node(String id, String title, List<String> dependsOn, List<String> providers) {}

  /** One call of a task to a provider; {@code latencyMs} is null while the call is in flight. */
  record AttemptView(int number, String provider, Instant startedAt, @Nullable Instant finishedAt,
      @Nullable Long latencyMs, @Nullable String outcome, @Nullable String errorKind, @Nullable String message,
      long inputTokens, long outputTokens, Money cost, String costBasis) {}

  record ReviewView(String reviewer, int round, boolean approved, int score, String feedback, Instant at) {}

  record GuardView(String guard, String phase, String action, String reason, Instant at) {}

  record QuestionView(String id, String text, Instant askedAt, @Nullable String answer, @Nullable Instant answeredAt,
      boolean open) {}

  record Transition(String to, Instant at) {}

  /** One message of a task's conversation: who spoke to whom, of which kind, and what the call cost. */
  record MessageView(int attempt, String from, String to, String kind, String text, long inputTokens,
      long outputTokens, Money cost, Instant at) {}

  /** One commit version control made for a task (or, for the run's own branch, for {@code @run}). */
  record CommitView(String commit, String shortId, String action, String branch, List<String> files, Instant at) {}

  record TaskDetail(String taskId, String title, String state, String lane, @Nullable String provider,
      @Nullable String prompt, @Nullable String output, @Nullable String errorKind, @Nullable String error,
      Money cost, List<String> actions, List<AttemptView> attempts, List<ReviewView> reviews, List<GuardView> guards,
      @Nullable QuestionView question, List<Transition> transitions, List<MessageView> conversation,
      List<CommitView> commits) {}

  /**
   * The page's data; {@code runBranch} is the run's branch ({@code orchestrator/<run>/@run}) once version control
   * made a commit for the run, {@code runCommits} the commits of the run's own branch (a reset), and {@code diffs}
   * whether the project's repository is on this machine, so a commit's diff can be read.
   */
  record Detail(Views.RunView run, Map<String, String> params, List<Node> graph, List<TaskDetail> tasks,
      @Nullable String runBranch, List<CommitView> runCommits, boolean diffs) {}

  /** The task id version control gives the commits of the run's own branch. */
  static final String RUN_TASK = "@run";

  Detail detail(String project, String runId) {
    RunRecord r = views.runRecord(project, runId);
    List<TaskRecord> tasks = store.tasks(r.project(), r.id());
    Map<String, List<ReviewView>> reviews = new LinkedHashMap<>();
    Map<String, List<GuardView>> guards = new LinkedHashMap<>();
    Map<String, List<Transition>> transitions = new LinkedHashMap<>();
    Map<String, List<MessageView>> conversations = new LinkedHashMap<>();
    Map<String, List<CommitView>> commits = new LinkedHashMap<>();
    for (Event e : store.events(r.project(), r.id())) {
      if (e instanceof ReviewCompletedEvent v) {
        reviews.computeIfAbsent(v.taskId(), k -> new ArrayList<>()).add(new ReviewView(v.reviewer(), v.round(),
            v.approved(), v.score(), v.feedback(), v.at()));
      } else if (e instanceof GuardTriggeredEvent g) {
        guards.computeIfAbsent(g.taskId(), k -> new ArrayList<>()).add(new GuardView(g.guard(), g.phase().name(),
            g.action().name(), g.reason(), g.at()));
      } else if (e instanceof TaskTransitionEvent t) {
        transitions.computeIfAbsent(t.taskId(), k -> new ArrayList<>()).add(new Transition(t.to().name(), t.at()));
      } else if (e instanceof MessageExchangedEvent m) {
        conversations.computeIfAbsent(m.taskId(), k -> new ArrayList<>()).add(new MessageView(m.attempt(), m.from(),
            m.to(), m.kind(), m.text(), m.usage().inputTokens(), m.usage().outputTokens(), m.cost(), m.at()));
      } else if (e instanceof TaskCommittedEvent c) {
        commits.computeIfAbsent(c.taskId(), k -> new ArrayList<>()).add(new CommitView(c.commit(),
            c.commit().substring(0, Math.min(7, c.commit().length())), c.action(), c.branch(), c.files(), c.at()));
      }
    }
    List<TaskDetail> out = new ArrayList<>();
    for (TaskRecord t : tasks) {
      List<AttemptView> attempts = new ArrayList<>();
      String prompt = null;
      for (Attempt a : t.attempts()) {
        Long latency = a.finishedAt() == null ? null : Duration.between(a.startedAt(), a.finishedAt()).toMillis();
        attempts.add(new AttemptView(a.number(), a.provider(), a.startedAt(), a.finishedAt(), latency,
            a.outcome() == null ? null : a.outcome().name(), a.errorKind() == null ? null : a.errorKind().name(),
            a.message(), a.usage().inputTokens(), a.usage().outputTokens(), a.cost(), a.costBasis().name()));
        if (a.prompt() != null) {
          prompt = a.prompt();
        }
      }
      Question q = t.question();
      QuestionView qv = q == null ? null
          : new QuestionView(q.id(), q.text(), q.askedAt(), q.answer(), q.answeredAt(), q.isOpen());
      out.add(new TaskDetail(t.taskId(), t.title(), t.state().name(), t.lane().name(), t.provider(), prompt,
          t.output(), t.errorKind() == null ? null : t.errorKind().name(), t.error(), t.cost(),
          Views.actions(t.state()), attempts, reviews.getOrDefault(t.taskId(), List.of()),
          guards.getOrDefault(t.taskId(), List.of()), qv, transitions.getOrDefault(t.taskId(), List.of()),
          conversations.getOrDefault(t.taskId(), List.of()), commits.getOrDefault(t.taskId(), List.of())));
    }
    String runBranch = commits.isEmpty() ? null : "orchestrator/" + r.id() + "/" + RUN_TASK;
    return new Detail(views.run(project, runId), r.params(), graph(r, tasks), out, runBranch,
        commits.getOrDefault(RUN_TASK, List.of()), !commits.isEmpty() && diffs.available(r.project()));
  }

  /**
   * The tasks and their dependencies, from the stored workflow definition; a run stored without one (an older
   * store) shows its tasks without edges.
   */
  private List<Node> graph(RunRecord r, List<TaskRecord> tasks) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (TaskRecord t : tasks) {
      nodes.put(t.taskId(), new Node(t.taskId(), t.title(), List.of(), List.of()));
    }
    String definition = store.definition(r.project(), r.id()).orElse(null);
    if (definition == null) {
      return List.copyOf(nodes.values());
    }
    try {
      JsonNode root = JSON.readTree(definition);
      for (JsonNode n : root.path("tasks")) {
        String id = n.path("id").asText();
        Node known = nodes.get(id);
        if (known == null) {
          continue;
        }
        List<String> deps = new ArrayList<>();
        n.path("dependsOn").forEach(d -> deps.add(d.asText()));
        List<String> providers = new ArrayList<>();
        n.path("providers").forEach(p -> providers.add(p.asText()));
        nodes.put(id, new Node(id, known.title(), List.copyOf(deps), List.copyOf(providers)));
      }
    } catch (java.io.IOException e) {
      // A definition this page cannot read: the tasks show without edges.
    }
    return List.copyOf(nodes.values());
  }
}
