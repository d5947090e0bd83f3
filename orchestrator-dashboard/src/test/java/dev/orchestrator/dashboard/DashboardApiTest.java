package dev.orchestrator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.BudgetThresholdCrossedEvent;
import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The JSON API and the event stream over real HTTP, with the engine on its real threads. */
class DashboardApiTest {
  static final String TOKEN = "test-token-0123456789abcdef";

  static Workflow twoTasks() {
    return Workflow.builder("blog-post")
        .task("outline", t -> t.title("Outline the post").instructions("Outline a post about tides"))
        .task("draft", t -> t.title("Draft the post").instructions("Draft it").priority(Priority.LOW))
        .build();
  }

  private Fixture fx;

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private Http client() {
    Http http = new Http(fx.dashboard.url());
    http.session();
    return http;
  }

  @Nested
  class Reading {
    @Test
    void sessionNamesTheProjectsAndGivesACsrfToken() {
      fx = Fixture.start(DashboardOptions.builder().projects("blog", "docs").defaultProject("docs").build());
      JsonNode s = new Http(fx.dashboard.url()).session();
      assertThat(s.get("csrf").asText()).hasSizeGreaterThan(20);
      assertThat(s.get("projects").toString()).isEqualTo("[\"blog\",\"docs\"]");
      assertThat(s.get("defaultProject").asText()).isEqualTo("docs");
      assertThat(s.get("tokenRequired").asBoolean()).isFalse();
    }

    @Test
    void runsListTasksWithStatesLanesAndActions() {
      fx = Fixture.start();
      Run run = fx.orchestrator.submit("blog", twoTasks());
      fx.events.awaitState("outline", TaskState.RUNNING);
      fx.events.awaitState("draft", TaskState.READY);

      JsonNode runs = client().getJson("api/projects/blog/runs");
      assertThat(runs).hasSize(1);
      JsonNode r = runs.get(0);
      assertThat(r.get("id").asText()).isEqualTo(run.id());
      assertThat(r.get("status").asText()).isEqualTo("RUNNING");
      assertThat(r.get("controllable").asBoolean()).isTrue();
      JsonNode outline = r.get("tasks").get(0);
      assertThat(outline.get("title").asText()).isEqualTo("Outline the post");
      assertThat(outline.get("state").asText()).isEqualTo("RUNNING");
      assertThat(outline.get("provider").asText()).isEqualTo("claude");
      assertThat(outline.get("actions").toString()).isEqualTo("[\"cancel\"]");
      JsonNode draft = r.get("tasks").get(1);
      assertThat(draft.get("state").asText()).isEqualTo("READY");
      assertThat(draft.get("lane").asText()).isEqualTo("LOW");
      assertThat(draft.get("actions").toString()).isEqualTo("[\"cancel\",\"priority\"]");
      assertThat(draft.get("waiting").asText()).as("why it is not moving").startsWith("queued for ");
      assertThat(outline.get("waiting").isNull()).as("it runs").isTrue();

      JsonNode one = client().getJson("api/projects/blog/runs/" + run.id());
      assertThat(one.get("tasks")).hasSize(2);
      JsonNode queue = client().getJson("api/projects/blog/queue");
      assertThat(queue).hasSize(2);
      assertThat(queue.get(0).get("taskId").asText()).isEqualTo("outline"); // MEDIUM before LOW
      JsonNode projects = client().getJson("api/projects");
      assertThat(projects.get(0).get("name").asText()).isEqualTo("blog");
      assertThat(projects.get(0).get("running").asInt()).isEqualTo(1);
    }

    @Test
    void providersSayWorkingWhileACallIsInFlightAndShowTodaysSpend() {
      fx = Fixture.start();
      fx.orchestrator.submit("blog", twoTasks());
      fx.events.awaitState("outline", TaskState.RUNNING);
      JsonNode providers = client().getJson("api/providers");
      assertThat(providers).hasSize(2);
      JsonNode chatgpt = providers.get(0);
      JsonNode claude = providers.get(1);
      assertThat(chatgpt.get("name").asText()).isEqualTo("chatgpt");
      assertThat(chatgpt.get("state").asText()).isEqualTo("idle");
      assertThat(claude.get("state").asText()).isEqualTo("working");
      assertThat(claude.get("inFlight").asInt()).isEqualTo(1);
      assertThat(claude.get("circuit").get("state").asText()).isEqualTo("CLOSED");

      fx.answer(fx.claude, 0, "an outline", "0.25");
      fx.events.awaitState("outline", TaskState.SUCCEEDED);
      claude = client().getJson("api/providers").get(1);
      assertThat(claude.get("todaySpend").get("amount").decimalValue()).isEqualByComparingTo("0.25");
      assertThat(claude.get("todaySpend").get("currency").asText()).isEqualTo("USD");
    }

    @Test
    void costReportHasGaugesWithThresholdsAndTheForecast() {
      fx = Fixture.start(DashboardOptions.ofDefaults(), c -> { },
          b -> b.budget(Budget.of(BudgetScope.project("blog"), Money.usd("1"))));
      JsonNode before = client().getJson("api/projects/blog/cost");
      assertThat(before.get("gauges")).hasSize(1);
      assertThat(before.get("gauges").get(0).get("share").asDouble()).isZero();

      fx.orchestrator.submit("blog", twoTasks());
      fx.events.awaitState("outline", TaskState.RUNNING);
      fx.answer(fx.claude, 0, "an outline", "0.60");
      fx.events.await(e -> e instanceof BudgetThresholdCrossedEvent);

      JsonNode cost = client().getJson("api/projects/blog/cost");
      assertThat(cost.get("spent").get("amount").decimalValue()).isEqualByComparingTo("0.60");
      assertThat(cost.get("limit").get("amount").decimalValue()).isEqualByComparingTo("1");
      assertThat(cost.get("byProvider").get("claude").get("amount").decimalValue()).isEqualByComparingTo("0.60");
      assertThat(cost.get("byDay").size()).isEqualTo(1);
      assertThat(cost.has("forecast")).isTrue();
      JsonNode gauge = cost.get("gauges").get(0);
      assertThat(gauge.get("scope").asText()).isEqualTo("project blog");
      assertThat(gauge.get("share").asDouble()).isEqualTo(0.6);
      assertThat(gauge.get("thresholds").toString()).isEqualTo("[0.5,0.75,0.9]");
      assertThat(client().getJson("api/budgets")).hasSize(1);
      assertThat(cost.get("measured").get("amount").decimalValue()).isEqualByComparingTo("0.60");
      assertThat(cost.get("estimated").get("amount").decimalValue()).isZero();
      assertThat(cost.get("overrun").get("amount").decimalValue()).isZero();
      assertThat(cost.get("unpricedCalls").asInt()).isZero();
      assertThat(cost.get("providers").get(0).get("provider").asText()).isEqualTo("claude");
    }

    @Test
    void theCostViewKeepsMeasuredAndEstimatedSpendApartAndShowsOverruns() {
      fx = Fixture.start();
      var store = fx.store;
      var accounts = List.of(new dev.orchestrator.spi.store.Account(BudgetScope.global(), null),
          new dev.orchestrator.spi.store.Account(BudgetScope.project("blog"), null),
          new dev.orchestrator.spi.store.Account(BudgetScope.provider("claude"), null));
      // What engines sharing the store settled: a call counted at its reservation, and one that cost more than it.
      store.ledger().settle(null, accounts, new java.math.BigDecimal("0.30"), true);
      var at = fx.orchestrator.clock().instant();
      var lease = store.createRun(dev.orchestrator.run.RunRecord.submitted("elsewhere", "r", "w",
          java.util.Map.of(), at), "{}", List.of(), "other",
          java.time.Duration.ofMinutes(1));
      assertThat(store.ledger().reserve("x", lease, accounts, new java.math.BigDecimal("0.10"), null)).isNull();
      store.ledger().settle("x", accounts, new java.math.BigDecimal("0.15"));

      JsonNode cost = client().getJson("api/projects/blog/cost");
      assertThat(cost.get("spent").get("amount").decimalValue()).isEqualByComparingTo("0.45");
      assertThat(cost.get("measured").get("amount").decimalValue()).isEqualByComparingTo("0.15");
      assertThat(cost.get("estimated").get("amount").decimalValue()).isEqualByComparingTo("0.30");
      assertThat(cost.get("overrun").get("amount").decimalValue()).isEqualByComparingTo("0.05");
      JsonNode all = client().getJson("api/cost");
      assertThat(all.get("estimated").get("amount").decimalValue()).isEqualByComparingTo("0.30");
      assertThat(all.get("overrun").get("amount").decimalValue()).isEqualByComparingTo("0.05");
    }

    @Test
    void learningShowsEachProvidersFiguresAndSaysWhenThereIsTooLittleData() {
      fx = Fixture.start(DashboardOptions.builder().projects("blog").build(),
          c -> c.otherwise(req -> dev.orchestrator.testkit.FakeProvider.Reply.text("a summary")), b -> { });
      JsonNode empty = client().getJson("api/projects/blog/learning");
      assertThat(empty.get("figures")).isEmpty();
      assertThat(empty.get("recommendations")).isEmpty();
      assertThat(empty.get("shadows")).as("no shadow comparison yet").isEmpty();

      Workflow.Builder w = Workflow.builder("summaries");
      for (int i = 1; i <= 5; i++) {
        w.task("sum" + i, t -> t.title("Summary").instructions("Summarise the tides").taskType("summarization")
            .provider("claude"));
      }
      fx.orchestrator.submit("blog", w.build());
      for (int i = 1; i <= 5; i++) {
        fx.events.awaitState("sum" + i, TaskState.SUCCEEDED);
      }
      JsonNode learning = client().getJson("api/projects/blog/learning");
      assertThat(learning.get("project").asText()).isEqualTo("blog");
      assertThat(learning.get("minSamples").asInt()).isEqualTo(5);
      JsonNode claude = learning.get("figures").get(0);
      assertThat(claude.get("provider").asText()).isEqualTo("claude");
      assertThat(claude.get("taskType").asText()).isEqualTo("summarization");
      assertThat(claude.get("samples").asInt()).isEqualTo(5);
      assertThat(claude.get("successRate").asDouble()).isEqualTo(1.0);
      assertThat(claude.get("demotion").isNull()).as("not demoted").isTrue();
      assertThat(learning.get("recommendations").get(0).asText()).isEqualTo("Not enough data yet on summarization:"
          + " only claude (5 attempts) can be compared; a comparison needs a second provider with at least 5 attempts");
      assertThat(client().get("api/projects/secret/learning").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownRunsAndHiddenProjectsAreNotFound() {
      fx = Fixture.start(DashboardOptions.builder().projects("blog").build());
      HttpResponse<String> run = client().get("api/projects/blog/runs/nope");
      assertThat(run.statusCode()).isEqualTo(404);
      assertThat(Http.json(run).get("error").asText()).contains("has no run 'nope'");
      HttpResponse<String> hidden = client().get("api/projects/secret/runs");
      assertThat(hidden.statusCode()).isEqualTo(404);
      assertThat(Http.json(hidden).get("error").asText()).contains("not shown by this dashboard");
      assertThat(client().get("api/projects/blog/runs?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void pagesComeFromTheJarWithASecurityPolicy() {
      fx = Fixture.start();
      Http http = new Http(fx.dashboard.url());
      HttpResponse<String> page = http.send(http.request("").header("Accept", "text/html").GET().build());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\">");
      assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("script-src 'self'").contains("frame-ancestors 'none'");
      assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(page.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly").contains("SameSite=Strict");
      HttpResponse<String> js = http.get("app.js");
      assertThat(js.statusCode()).isEqualTo(200);
      assertThat(js.headers().firstValue("Content-Type").orElseThrow()).contains("javascript");
      assertThat(js.body()).doesNotContain("innerHTML =").doesNotContain("insertAdjacentHTML");
    }
  }

  @Nested
  class Steering {
    @Test
    void cancelsARunningTaskAndResumesIt() {
      fx = Fixture.start();
      Run run = fx.orchestrator.submit("blog", twoTasks());
      fx.events.awaitState("outline", TaskState.RUNNING);
      Http http = client();
      String task = "api/projects/blog/runs/" + run.id() + "/tasks/outline/";

      HttpResponse<String> r = http.post(task + "cancel", "{\"reason\":\"wrong topic\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(run.task("outline").state()).isEqualTo(TaskState.CANCELLED);
      assertThat(run.task("outline").cancellation().reason()).isEqualTo("wrong topic");
      assertThat(run.task("outline").cancellation().by()).isEqualTo("dashboard");
      assertThat(fx.claude.cancelledCount()).isEqualTo(1);

      HttpResponse<String> retry = http.post(task + "retry", "");
      assertThat(retry.statusCode()).isEqualTo(409);
      assertThat(Http.json(retry).get("error").asText()).contains("not FAILED");

      assertThat(http.post(task + "resume", "").statusCode()).isEqualTo(200);
      assertThat(run.task("outline").state()).isIn(TaskState.READY, TaskState.RUNNING);
    }

    @Test
    void changesAPriorityAndNamesTheAcceptedValuesWhenWrong() {
      fx = Fixture.start();
      Run run = fx.orchestrator.submit("blog", twoTasks());
      fx.events.awaitState("draft", TaskState.READY);
      Http http = client();
      String task = "api/projects/blog/runs/" + run.id() + "/tasks/draft/priority";
      HttpResponse<String> bad = http.post(task, "{\"priority\":\"urgent\"}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(Http.json(bad).get("error").asText()).contains("high, medium, low").contains("urgent");
      assertThat(http.post(task, "{}").statusCode()).isEqualTo(400);
      assertThat(http.post(task, "not json").statusCode()).isEqualTo(400);

      assertThat(http.post(task, "{\"priority\":\"high\"}").statusCode()).isEqualTo(200);
      assertThat(run.task("draft").lane()).isEqualTo(Priority.HIGH);
    }

    @Test
    void cancelsARun() {
      fx = Fixture.start();
      Run run = fx.orchestrator.submit("blog", twoTasks());
      fx.events.awaitState("outline", TaskState.RUNNING);
      assertThat(client().post("api/projects/blog/runs/" + run.id() + "/cancel", "").statusCode()).isEqualTo(200);
      assertThat(run.completion().join().status().name()).isEqualTo("CANCELLED");
    }

    @Test
    void pausesAndResumesProvidersAndProjects() {
      fx = Fixture.start();
      Http http = client();
      assertThat(http.post("api/providers/chatgpt/pause", "{\"reason\":\"quota\"}").statusCode()).isEqualTo(200);
      assertThat(fx.orchestrator.circuit("chatgpt").paused()).isTrue();
      JsonNode chatgpt = http.getJson("api/providers").get(0);
      assertThat(chatgpt.get("state").asText()).isEqualTo("waiting");
      assertThat(chatgpt.get("circuit").get("pauseReason").asText()).isEqualTo("quota");
      assertThat(http.post("api/providers/chatgpt/resume", "").statusCode()).isEqualTo(200);
      assertThat(fx.orchestrator.circuit("chatgpt").paused()).isFalse();
      HttpResponse<String> unknown = http.post("api/providers/nobody/pause", "");
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(Http.json(unknown).get("error").asText()).contains("there is no provider 'nobody'");

      assertThat(http.post("api/projects/blog/pause", "").statusCode()).isEqualTo(200);
      assertThat(fx.orchestrator.projectPause("blog")).contains("paused from the dashboard");
      assertThat(http.post("api/projects/blog/resume", "").statusCode()).isEqualTo(200);
      assertThat(fx.orchestrator.projectPause("blog")).isEmpty();
    }

    @Test
    void answersAQuestion() {
      fx = Fixture.start(DashboardOptions.ofDefaults(), c -> c.script(Reply.ask("Which tone?")), b -> { });
      fx.orchestrator.submit("blog", Workflow.builder("post")
          .task("outline", t -> t.title("Outline").instructions("Outline a post")).build());
      InputRequestedEvent asked = (InputRequestedEvent) fx.events.await(e -> e instanceof InputRequestedEvent);
      Http http = client();
      JsonNode questions = http.getJson("api/projects/blog/questions");
      assertThat(questions).hasSize(1);
      assertThat(questions.get(0).get("text").asText()).isEqualTo("Which tone?");
      assertThat(http.post("api/questions/" + asked.questionId() + "/answer", "{\"answer\":\" \"}").statusCode())
          .isEqualTo(400);
      assertThat(http.post("api/questions/" + asked.questionId() + "/answer", "{\"answer\":\"Playful\"}")
          .statusCode()).isEqualTo(200);
      fx.events.await(e -> e instanceof TaskStartedEvent s && s.taskId().equals("outline") && s.attempt() == 2);
      // The started event is emitted just before the call is made, on the engine's thread.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (fx.claude.callCount() < 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(fx.claude.requests().get(fx.claude.callCount() - 1).prompt()).contains("Playful");
      assertThat(http.getJson("api/projects/blog/questions")).isEmpty();
      assertThat(http.post("api/questions/" + asked.questionId() + "/answer", "{\"answer\":\"again\"}").statusCode())
          .isEqualTo(409);
    }
  }

  @Nested
  class Security {
    @Test
    void refusesPostsWithoutTheCsrfToken() {
      fx = Fixture.start();
      Http http = client();
      HttpResponse<String> r = http.postWithout("api/providers/claude/pause", "");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(Http.json(r).get("error").asText()).contains("X-CSRF-Token");
      assertThat(fx.orchestrator.circuit("claude").paused()).isFalse();
      // A fresh client with no session cannot post either, whatever header it invents.
      Http stranger = new Http(fx.dashboard.url());
      HttpResponse<String> s = stranger.send(stranger.request("api/providers/claude/pause")
          .header("X-CSRF-Token", "guess").POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(s.statusCode()).isEqualTo(403);
    }

    @Test
    void refusesCrossOriginPostsEvenWithTheCsrfToken() {
      fx = Fixture.start();
      Http http = client();
      HttpResponse<String> r = http.send(http.request("api/providers/claude/pause")
          .header("X-CSRF-Token", http.session().get("csrf").asText())
          .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(Http.json(r).get("error").asText()).contains("cross-origin");
      assertThat(fx.orchestrator.circuit("claude").paused()).isFalse();
    }

    @Test
    void refusesAForeignHostNameOnLoopback() throws Exception {
      fx = Fixture.start();
      // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host: evil.example.
      try (Socket socket = new Socket("127.0.0.1", fx.dashboard.port())) {
        socket.setSoTimeout(5000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/projects HTTP/1.1\r\nHost: evil.example:" + fx.dashboard.port()
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
            .readLine();
        assertThat(status).contains(" 403");
      }
    }

    @Test
    void optionsRefuseANonLoopbackHostWithoutAToken() {
      assertThatThrownBy(() -> DashboardOptions.builder().host("0.0.0.0").build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("refuses to listen on '0.0.0.0' without an access token")
          .hasMessageContaining("accessToken(...)");
      assertThatThrownBy(() -> DashboardOptions.builder().accessToken("short"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least 16").hasMessageNotContaining("short");
      assertThatThrownBy(() -> DashboardOptions.builder().port(70000)).hasMessageContaining("0..65535");
      assertThatThrownBy(() -> DashboardOptions.builder().projects("a").defaultProject("b").build())
          .hasMessageContaining("defaultProject 'b' is not among projects [a]");
      DashboardOptions withToken = DashboardOptions.builder().host("0.0.0.0").accessToken(TOKEN).build();
      assertThat(withToken.isLoopback()).isFalse();
      assertThat(withToken.toString()).doesNotContain(TOKEN).contains("***");
      assertThat(DashboardOptions.ofDefaults().isLoopback()).isTrue();
    }

    @Test
    void aNonLoopbackBindRefusesRequestsWithoutTheToken() {
      fx = Fixture.start(DashboardOptions.builder().host("0.0.0.0").accessToken(TOKEN).build());
      java.net.URI local = java.net.URI.create("http://127.0.0.1:" + fx.dashboard.port() + "/");
      assertThat(fx.dashboard.url().toString()).doesNotContain(TOKEN);

      Http anonymous = new Http(local);
      HttpResponse<String> refused = anonymous.get("api/projects");
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(Http.json(refused).get("error").asText()).contains("needs its access token").doesNotContain(TOKEN);
      assertThat(anonymous.postWithout("api/providers/claude/pause", "").statusCode()).isEqualTo(401);
      assertThat(anonymous.get("").statusCode()).isEqualTo(401);
      assertThat(new Http(local).bearer("wrong-token-0123456789").get("api/projects").statusCode()).isEqualTo(401);

      Http script = new Http(local).bearer(TOKEN);
      assertThat(script.get("api/projects").statusCode()).isEqualTo(200);
      assertThat(script.postWithout("api/providers/claude/pause", "").statusCode()).isEqualTo(403); // no CSRF
      script.session();
      assertThat(script.post("api/providers/claude/pause", "").statusCode()).isEqualTo(200);
      assertThat(fx.orchestrator.circuit("claude").paused()).isTrue();

      // A browser presents the token once and gets a session cookie and a redirect that drops it from the address.
      Http browser = new Http(local);
      HttpResponse<String> login = browser.get("?token=" + TOKEN);
      assertThat(login.statusCode()).isEqualTo(302);
      assertThat(login.headers().firstValue("Location")).contains("/");
      assertThat(browser.get("api/projects").statusCode()).isEqualTo(200);
      assertThat(browser.get("?token=wrong-token-0123456789").statusCode()).isEqualTo(200); // already signed in
      assertThat(new Http(local).get("?token=wrong-token-0123456789").statusCode()).isEqualTo(401);
    }
  }

  @Nested
  class Streaming {
    @Test
    void pushesEngineEventsAsJson() throws Exception {
      fx = Fixture.start();
      Http http = client();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      CompletableFuture<HttpResponse<Stream<String>>> stream = http.client.sendAsync(
          HttpRequest.newBuilder(fx.dashboard.url().resolve("api/events?project=blog"))
              .header("Accept", "text/event-stream").GET().build(),
          HttpResponse.BodyHandlers.ofLines());
      HttpResponse<Stream<String>> response = stream.get(10, TimeUnit.SECONDS);
      assertThat(response.headers().firstValue("Content-Type").orElseThrow()).contains("text/event-stream");
      Thread reader = new Thread(() -> {
        try {
          response.body().forEach(lines::add);
        } catch (java.io.UncheckedIOException closed) {
          // The test closed the stream.
        }
      }, "sse-reader");
      reader.setDaemon(true);
      reader.start();
      try {
        assertThat(awaitLine(lines, "\"Hello\"")).contains("\"project\":\"blog\"");
        Run run = fx.orchestrator.submit("blog", twoTasks());
        fx.events.awaitState("outline", TaskState.RUNNING);
        assertThat(awaitLine(lines, "RunSubmittedEvent")).contains(run.id());
        fx.answer(fx.claude, 0, "an outline", "0.10");
        String done = awaitLine(lines, "TaskSucceededEvent");
        assertThat(done).startsWith("data: ").contains("\"taskId\":\"outline\"").contains("\"to\":\"SUCCEEDED\"")
            .contains("\"runId\":\"" + run.id() + "\"");
        http.post("api/providers/chatgpt/pause", "");
        assertThat(awaitLine(lines, "ProviderPausedEvent")).contains("chatgpt");
      } finally {
        response.body().close();
      }
    }

    @Test
    void refusesAnEventIdThatIsNoSequenceAndAProjectNotShown() {
      fx = Fixture.start(DashboardOptions.builder().projects("blog").build());
      Http http = client();
      HttpResponse<String> bad = http.send(http.request("api/events?project=blog").header("Last-Event-ID", "abc")
          .GET().build());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(Http.json(bad).get("error").asText()).contains("Last-Event-ID").contains("'abc'");
      assertThat(http.get("api/events?project=blog&lastEventId=-1").statusCode()).isEqualTo(400);
      HttpResponse<String> hidden = http.get("api/events?project=secret");
      assertThat(hidden.statusCode()).isEqualTo(404);
      assertThat(Http.json(hidden).get("error").asText()).contains("not shown by this dashboard");
    }

    @Test
    void viewsSayWhichStoreSequenceTheyReflect() {
      fx = Fixture.start();
      Http http = client();
      assertThat(http.get("api/projects").headers().firstValue("X-Orchestrator-Sequence")).contains("0");
      fx.orchestrator.submit("blog", twoTasks());
      fx.events.awaitState("outline", TaskState.RUNNING);
      long last = fx.orchestrator.store().lastEventSequence();
      HttpResponse<String> runs = http.get("api/projects/blog/runs");
      assertThat(Long.parseLong(runs.headers().firstValue("X-Orchestrator-Sequence").orElseThrow()))
          .isGreaterThanOrEqualTo(last);
    }

    private String awaitLine(BlockingQueue<String> lines, String needle) throws InterruptedException {
      List<String> seen = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
        if (line == null) {
          throw new AssertionError("no line with " + needle + " within 10 s; saw " + seen);
        }
        seen.add(line);
        if (line.contains(needle)) {
          return line;
        }
      }
    }
  }

  @Nested
  class Describing {
    static final String ROADMAP = "Write a blog post about AI orchestration, have ChatGPT draft it, then Claude review"
        + " for tone, target 1500 words, publish to /blog/";

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path templates;

    private Fixture planning() {
      return Fixture.start(DashboardOptions.builder()
          .planningContext(dev.orchestrator.templates.plan.PlanningContext.builder()
              .provider("claude", "anthropic").provider("chatgpt", "openai").defaultProvider("claude").build())
          .templateDirectory(templates)
          .build());
    }

    private JsonNode plan(Http http) {
      HttpResponse<String> r = http.post("api/projects/blog/plan", body("request", ROADMAP));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return Http.json(r);
    }

    private String body(String field, String value) {
      return Http.JSON.createObjectNode().put(field, value).toString();
    }

    @Test
    void theRoadmapSentenceGivesThreeTasksInAChainWithACostRange() {
      fx = planning();
      Http http = client();
      assertThat(http.session().get("planning").get("enabled").asBoolean()).isTrue();
      JsonNode plan = plan(http);

      assertThat(plan.get("planner").asText()).isEqualTo("offline");
      JsonNode tasks = plan.get("tasks");
      assertThat(tasks).hasSize(3);
      assertThat(tasks.get(0).get("providers").toString()).isEqualTo("[\"chatgpt\"]");
      assertThat(tasks.get(1).get("providers").toString()).isEqualTo("[\"claude\"]");
      assertThat(tasks.get(0).get("dependsOn")).isEmpty();
      assertThat(tasks.get(1).get("dependsOn").toString()).isEqualTo("[\"" + tasks.get(0).get("id").asText() + "\"]");
      assertThat(tasks.get(2).get("dependsOn").toString()).isEqualTo("[\"" + tasks.get(1).get("id").asText() + "\"]");
      assertThat(plan.get("layers")).hasSize(3);
      assertThat(plan.get("dryRun").get("waves")).hasSize(3);
      JsonNode dry = plan.get("dryRun");
      double low = dry.get("low").get("amount").asDouble();
      double expected = dry.get("expected").get("amount").asDouble();
      double high = dry.get("high").get("amount").asDouble();
      assertThat(low).isLessThanOrEqualTo(expected);
      assertThat(expected).isLessThanOrEqualTo(high);
      assertThat(plan.get("assumptions")).isNotEmpty();
      assertThat(fx.orchestrator.runs("blog")).as("planning runs nothing").isEmpty();
    }

    @Test
    void emptyOrMissingRequestsAndUnknownPlannersAreRefusedNamingTheField() {
      fx = planning();
      Http http = client();
      HttpResponse<String> blank = http.post("api/projects/blog/plan", body("request", "   "));
      assertThat(blank.statusCode()).isEqualTo(400);
      assertThat(Http.json(blank).get("error").asText()).contains("'request'").contains("describe the workflow");
      HttpResponse<String> missing = http.post("api/projects/blog/plan", "{}");
      assertThat(missing.statusCode()).isEqualTo(400);
      assertThat(Http.json(missing).get("error").asText()).contains("'request'").contains("send {");
      HttpResponse<String> planner = http.post("api/projects/blog/plan",
          "{\"request\": \"have Claude write a haiku\", \"planner\": \"magic\"}");
      assertThat(planner.statusCode()).isEqualTo(400);
      assertThat(Http.json(planner).get("error").asText()).contains("'planner'").contains("offline or llm");
      HttpResponse<String> llm = http.post("api/projects/blog/plan",
          "{\"request\": \"have Claude write a haiku\", \"planner\": \"llm\"}");
      assertThat(llm.statusCode()).isEqualTo(409);
      assertThat(Http.json(llm).get("error").asText()).contains("llmPlanner");
      HttpResponse<String> forged = http.post("api/projects/blog/plan/run", body("template", "{\"tasks\": 3}"));
      assertThat(forged.statusCode()).isEqualTo(400);
      assertThat(Http.json(forged).get("error").asText()).contains("'template'");
    }

    @Test
    void withoutAPlanningContextTheBoxIsOffAndSaysHowToTurnItOn() {
      fx = Fixture.start();
      Http http = client();
      assertThat(http.session().get("planning").get("enabled").asBoolean()).isFalse();
      HttpResponse<String> r = http.post("api/projects/blog/plan", body("request", ROADMAP));
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(Http.json(r).get("error").asText()).contains("planningContext(");
    }

    @Test
    void aPlanRunFromTheBoxAppearsInTheRunsList() {
      fx = planning();
      Http http = client();
      JsonNode plan = plan(http);
      HttpResponse<String> started = http.post("api/projects/blog/plan/run", body("template",
          plan.get("json").asText()));
      assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
      String runId = Http.json(started).get("runId").asText();

      JsonNode runs = http.getJson("api/projects/blog/runs");
      assertThat(runs).anySatisfy(r -> assertThat(r.get("id").asText()).isEqualTo(runId));
    }

    @Test
    void aPlanRunNeedsTheCsrfToken() {
      fx = planning();
      Http http = client();
      JsonNode plan = plan(http);
      HttpResponse<String> r = http.postWithout("api/projects/blog/plan/run", body("template",
          plan.get("json").asText()));
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(fx.orchestrator.runs("blog")).isEmpty();
    }

    @Test
    void saveWritesATemplateAndRefusesANameAlreadyUsed() throws Exception {
      fx = planning();
      Http http = client();
      String json = plan(http).get("json").asText();
      String body = Http.JSON.createObjectNode().put("name", "blog-review").put("template", json).toString();
      HttpResponse<String> first = http.post("api/templates", body);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      java.nio.file.Path file = templates.resolve("blog-review.json");
      assertThat(java.nio.file.Files.readString(file)).isEqualTo(json + "\n");

      HttpResponse<String> again = http.post("api/templates", body);
      assertThat(again.statusCode()).isEqualTo(409);
      assertThat(Http.json(again).get("error").asText()).contains("'blog-review' exists already");
      assertThat(java.nio.file.Files.readString(file)).isEqualTo(json + "\n");

      HttpResponse<String> bad = http.post("api/templates",
          Http.JSON.createObjectNode().put("name", "Blog Review!").put("template", json).toString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(Http.json(bad).get("error").asText()).contains("'name'").contains("such as");
    }
  }
}
