package dev.orchestrator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.event.TaskPausedEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.StoredEvent;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard beside a run that another engine executes: a second {@code Orchestrator} on the same store plays the
 * other process (as {@code orchestrator run --detach} would), and the dashboard's engine only observes. Everything
 * goes over real HTTP; every change the dashboard makes must reach the worker through the store.
 */
@Timeout(60)
class DashboardSharedStoreTest {
  private SharedFixture fx;

  /** The stores of the two engines: one in-memory store here; {@link DashboardSharedH2StoreTest} opens a file twice. */
  SharedFixture.Stores stores() {
    return SharedFixture.Stores.inMemory();
  }

  private SharedFixture start() {
    return SharedFixture.start(stores(), DashboardOptions.ofDefaults(), c -> { }, w -> { });
  }

  private SharedFixture start(java.util.function.Consumer<dev.orchestrator.testkit.FakeProvider.Builder> claude) {
    return SharedFixture.start(stores(), DashboardOptions.ofDefaults(), claude, w -> { });
  }

  @AfterEach
  void stop() {
    if (fx != null) {
      assertThat(fx.dashboardCalls()).as("calls made by the dashboard's engine").isZero();
      fx.close();
    }
  }

  private Http client() {
    Http http = new Http(fx.dashboard.url());
    http.session();
    return http;
  }

  private List<Long> storedSequences(String project, long after) {
    return fx.store.eventsAfter(after, 1000).stream().filter(e -> e.event().project().equals(project)
        || e.event().project().isEmpty()).map(StoredEvent::sequence).toList();
  }

  @Test
  void runsOfTheOtherEngineShowWithTheirTasks() {
    fx = start();
    Run run = fx.worker.submit("blog", DashboardApiTest.twoTasks());
    fx.events.awaitState("outline", TaskState.RUNNING);

    Http http = client();
    assertThat(http.session().get("projects").toString()).isEqualTo("[\"blog\"]");
    JsonNode runs = http.getJson("api/projects/blog/runs");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).get("id").asText()).isEqualTo(run.id());
    assertThat(runs.get(0).get("controllable").asBoolean()).isTrue();
    JsonNode outline = runs.get(0).get("tasks").get(0);
    assertThat(outline.get("state").asText()).isEqualTo("RUNNING");
    assertThat(outline.get("actions").toString()).isEqualTo("[\"cancel\"]");
    assertThat(http.getJson("api/projects/blog/queue")).hasSize(2);
    assertThat(http.getJson("api/providers").get(1).get("state").asText()).isEqualTo("working");
    HttpResponse<String> view = http.get("api/projects/blog/runs");
    long sequence = Long.parseLong(view.headers().firstValue("X-Orchestrator-Sequence").orElseThrow());
    assertThat(sequence).isPositive().isLessThanOrEqualTo(fx.store.lastEventSequence());
  }

  @Test
  void theOtherEnginesEventsStreamInOrderWithTheirStoreSequenceAndAReconnectGetsWhatItMissed() throws Exception {
    fx = start();
    Http http = client();
    long start = fx.store.lastEventSequence();
    Run run;
    long lastSeen;
    try (EventStream stream = EventStream.open(http, "blog", null)) {
      assertThat(stream.awaitType("Hello").id()).isEqualTo(start);
      run = fx.worker.submit("blog", DashboardApiTest.twoTasks());
      stream.await("outline started", r -> r.type().equals("TaskStartedEvent")
          && r.data().get("taskId").asText().equals("outline"));
      List<EventStream.Received> events = stream.events();
      assertThat(events).extracting(EventStream.Received::id)
          .containsExactlyElementsOf(storedSequences("blog", start).subList(0, events.size()));
      assertThat(events).allSatisfy(e -> assertThat(e.data().get("sequence").asLong()).isEqualTo(e.id()));
      assertThat(events.get(0).type()).isEqualTo("RunSubmittedEvent");
      assertThat(events.get(0).data().get("runId").asText()).isEqualTo(run.id());
      lastSeen = events.get(events.size() - 1).id();
    }
    // While no browser listens, the worker goes on: outline succeeds, draft starts.
    fx.answer(fx.claude, 0, "an outline", "0.10");
    fx.events.awaitState("draft", TaskState.RUNNING);
    List<Long> missed = storedSequences("blog", lastSeen);
    assertThat(missed).isNotEmpty();

    try (EventStream again = EventStream.open(http, "blog", lastSeen)) {
      again.await("the missed events", r -> r.id() != null && r.id() >= missed.get(missed.size() - 1));
      assertThat(again.events()).extracting(EventStream.Received::id).startsWith(missed.toArray(Long[]::new))
          .doesNotHaveDuplicates().allMatch(id -> id > lastSeen);
      assertThat(again.events()).extracting(EventStream.Received::type).contains("TaskSucceededEvent");
    }
  }

  @Test
  void aQuestionAskedInTheOtherEngineIsListedAndAnsweredAndTheTaskGoesOn() throws Exception {
    fx = start(c -> c.script(Reply.ask("Which tone?")));
    fx.worker.submit("blog", Workflow.builder("post")
        .task("outline", t -> t.title("Outline").instructions("Outline a post")).build());
    InputRequestedEvent asked = (InputRequestedEvent) fx.events.await(e -> e instanceof InputRequestedEvent);
    Http http = client();
    JsonNode questions = http.getJson("api/projects/blog/questions");
    assertThat(questions).hasSize(1);
    assertThat(questions.get(0).get("id").asText()).isEqualTo(asked.questionId());
    assertThat(questions.get(0).get("text").asText()).isEqualTo("Which tone?");
    assertThat(http.post("api/questions/" + asked.questionId() + "/answer", "{\"answer\":\" \"}").statusCode())
        .isEqualTo(400);
    assertThat(http.post("api/questions/nope/answer", "{\"answer\":\"x\"}").statusCode()).isEqualTo(404);

    HttpResponse<String> answered = http.post("api/questions/" + asked.questionId() + "/answer",
        "{\"answer\":\"Playful\"}");
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    fx.events.await(e -> e instanceof TaskStartedEvent s && s.taskId().equals("outline") && s.attempt() == 2);
    Await.until("the worker's second call", () -> fx.claude.callCount() >= 2);
    assertThat(fx.claude.requests().get(1).prompt()).contains("Playful");
    assertThat(http.getJson("api/projects/blog/questions")).isEmpty();
    HttpResponse<String> again = http.post("api/questions/" + asked.questionId() + "/answer",
        "{\"answer\":\"again\"}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(Http.json(again).get("error").asText()).contains("already answered");
  }

  @Test
  void pausingTheProjectStopsTheOtherEngineStartingTasksWithinAboutASecond() {
    fx = start();
    Run run = fx.worker.submit("blog", DashboardApiTest.twoTasks()); // claude takes one call at a time
    fx.events.awaitState("outline", TaskState.RUNNING);
    fx.events.awaitState("draft", TaskState.READY);
    Http http = client();

    long before = System.nanoTime();
    assertThat(http.post("api/projects/blog/pause", "{\"reason\":\"reviewing\"}").statusCode()).isEqualTo(200);
    JsonNode project = http.getJson("api/projects").get(0);
    assertThat(project.get("paused").asBoolean()).isTrue(); // read from the store at once
    assertThat(project.get("pauseReason").asText()).isEqualTo("reviewing");
    TaskPausedEvent held = (TaskPausedEvent) fx.events.await(e -> e instanceof TaskPausedEvent p
        && p.taskId().equals("draft"));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
    // The worker reads the store's pauses every second (its sync interval): one interval and one step at most.
    assertThat(millis).as("the pause reached the worker after %d ms", millis).isLessThan(1250);
    assertThat(held.reason()).isEqualTo("project blog is paused: reviewing");

    fx.answer(fx.claude, 0, "an outline", "0.10");
    fx.events.awaitState("outline", TaskState.SUCCEEDED);
    assertThat(run.task("draft").state()).isEqualTo(TaskState.PAUSED);
    assertThat(fx.claude.callCount()).isEqualTo(1);

    assertThat(http.post("api/projects/blog/resume", "").statusCode()).isEqualTo(200);
    fx.events.awaitState("draft", TaskState.RUNNING);
    assertThat(http.getJson("api/projects").get(0).get("paused").asBoolean()).isFalse();
  }

  @Test
  void cancelResumePriorityAndCancelRunReachTheOtherEngine() {
    fx = start();
    Run run = fx.worker.submit("blog", DashboardApiTest.twoTasks());
    fx.events.awaitState("outline", TaskState.RUNNING);
    fx.events.awaitState("draft", TaskState.READY);
    Http http = client();
    String tasks = "api/projects/blog/runs/" + run.id() + "/tasks/";

    assertThat(http.post(tasks + "draft/priority", "{\"priority\":\"high\"}").statusCode()).isEqualTo(200);
    Await.until("the worker moving draft to the high lane", () -> run.task("draft").lane() == Priority.HIGH);

    HttpResponse<String> cancel = http.post(tasks + "outline/cancel", "{\"reason\":\"wrong topic\"}");
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
    fx.events.awaitState("outline", TaskState.CANCELLED);
    assertThat(run.task("outline").cancellation().by()).isEqualTo("dashboard");
    assertThat(run.task("outline").cancellation().reason()).isEqualTo("wrong topic");
    assertThat(fx.claude.cancelledCount()).isEqualTo(1);

    // Refused here, from the stored state, rather than dropped by the worker.
    HttpResponse<String> again = http.post(tasks + "outline/cancel", "");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(Http.json(again).get("error").asText()).contains("is CANCELLED");
    assertThat(http.post(tasks + "outline/retry", "").statusCode()).isEqualTo(409);
    HttpResponse<String> unknown = http.post(tasks + "nope/cancel", "");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Http.json(unknown).get("error").asText()).contains("has no task 'nope'");

    fx.events.awaitState("draft", TaskState.RUNNING); // the freed slot
    assertThat(http.post(tasks + "draft/priority", "{\"priority\":\"low\"}").statusCode()).isEqualTo(409);
    assertThat(http.post(tasks + "outline/resume", "").statusCode()).isEqualTo(200);
    Await.until("the worker queueing outline again", () -> run.task("outline").state() == TaskState.READY);

    assertThat(http.post("api/projects/blog/runs/" + run.id() + "/cancel", "").statusCode()).isEqualTo(200);
    assertThat(run.completion().orTimeout(10, TimeUnit.SECONDS).join().status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(http.post("api/projects/blog/runs/" + run.id() + "/cancel", "").statusCode()).isEqualTo(409);
  }

  @Test
  void pausingAProviderHoldsItsTasksInTheOtherEngine() {
    fx = start();
    Http http = client();
    assertThat(http.post("api/providers/chatgpt/pause", "{\"reason\":\"quota\"}").statusCode()).isEqualTo(200);
    JsonNode chatgpt = http.getJson("api/providers").get(0);
    assertThat(chatgpt.get("circuit").get("paused").asBoolean()).isTrue();
    assertThat(chatgpt.get("circuit").get("pauseReason").asText()).isEqualTo("quota");
    Await.until("the worker pausing chatgpt", () -> fx.worker.circuit("chatgpt").paused());

    Run run = fx.worker.submit("blog", Workflow.builder("w")
        .task("seo", t -> t.instructions("SEO").provider("chatgpt")).build());
    fx.events.awaitState("seo", TaskState.PAUSED);
    assertThat(fx.chatgpt.callCount()).isZero();
    assertThat(http.post("api/providers/chatgpt/resume", "").statusCode()).isEqualTo(200);
    fx.events.awaitState("seo", TaskState.RUNNING);
    run.cancel("test", "done");
  }

  @Test
  void aBudgetSetElsewhereAfterTheDashboardStartedShowsAndSpendMoves() throws Exception {
    fx = start();
    Http http = client();
    assertThat(http.getJson("api/budgets")).isEmpty();
    try (EventStream stream = EventStream.open(http, "blog", null)) {
      stream.awaitType("Hello");
      fx.worker.setBudget(Budget.of(BudgetScope.project("blog"), Money.usd("4")));
      stream.awaitType("BudgetsChanged");
    }
    assertThat(http.getJson("api/budgets")).hasSize(1);
    JsonNode before = http.getJson("api/projects/blog/cost");
    assertThat(before.get("limit").get("amount").decimalValue()).isEqualByComparingTo("4");
    assertThat(before.get("gauges")).hasSize(1);
    assertThat(before.get("gauges").get(0).get("share").asDouble()).isZero();

    Run run = fx.worker.submit("blog", DashboardApiTest.twoTasks());
    fx.answer(fx.claude, 0, "an outline", "1.00");
    fx.events.awaitState("outline", TaskState.SUCCEEDED);
    JsonNode cost = http.getJson("api/projects/blog/cost");
    assertThat(cost.get("spent").get("amount").decimalValue()).isEqualByComparingTo("1.00");
    assertThat(cost.get("remaining").get("amount").decimalValue()).isEqualByComparingTo("3.00");
    assertThat(cost.get("byProvider").get("claude").get("amount").decimalValue()).isEqualByComparingTo("1.00");
    assertThat(cost.get("byDay").size()).isEqualTo(1);
    JsonNode gauge = cost.get("gauges").get(0);
    assertThat(gauge.get("scope").asText()).isEqualTo("project blog");
    assertThat(gauge.get("share").asDouble()).isEqualTo(0.25);
    JsonNode claude = http.getJson("api/providers").get(1);
    assertThat(claude.get("todaySpend").get("amount").decimalValue()).isEqualByComparingTo("1.00");
    assertThat(claude.get("totalSpend").get("amount").decimalValue()).isEqualByComparingTo("1.00");
    assertThat(http.getJson("api/cost").get("spent").get("amount").decimalValue()).isEqualByComparingTo("1.00");

    fx.worker.setBudget(Budget.of(BudgetScope.providerDaily("claude"), Money.usd("2")));
    fx.answer(fx.claude, 1, "a draft", "0.50");
    fx.events.awaitState("draft", TaskState.SUCCEEDED);
    JsonNode after = http.getJson("api/projects/blog/cost");
    assertThat(after.get("spent").get("amount").decimalValue()).isEqualByComparingTo("1.50");
    assertThat(after.get("gauges")).extracting(g -> g.get("scope").asText())
        .containsExactly("project blog", "claude daily");
    assertThat(after.get("gauges").get(1).get("share").asDouble()).isEqualTo(0.75);
    assertThat(run.completion().orTimeout(10, TimeUnit.SECONDS).join().status()).isEqualTo(RunStatus.SUCCEEDED);
  }
}
