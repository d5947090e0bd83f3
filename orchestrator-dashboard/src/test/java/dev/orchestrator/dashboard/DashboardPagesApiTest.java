package dev.orchestrator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The data endpoints of the run page, the runs list, the template form, the builder and the charts, over real HTTP
 * against runs the engine finished in the store. The tests that start runs come last, so the counts read first are
 * the seeded ones.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardPagesApiTest {
  private static PagesFixture fx;
  private static Http http;

  @BeforeAll
  static void start() {
    fx = new PagesFixture();
    http = fx.http();
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get(field).asText()));
    return out;
  }

  private static BigDecimal last(JsonNode series) {
    return series.get(series.size() - 1).decimalValue();
  }

  @Test
  @Order(1)
  void chartsCarryTheStoresSpendStatesBudgetsAndProviderCalls() {
    JsonNode c = http.getJson("api/charts?project=list");
    int steps = c.get("times").size();
    assertThat(steps).isBetween(2, 48);
    // Every line starts from nothing, a step before the first run.
    assertThat(c.get("spendByProvider").get("claude").get(0).decimalValue()).isZero();
    assertThat(c.get("tasksByState").get("SUCCEEDED").get(0).asInt()).isZero();
    // 22 digests of two claude calls at $0.02, two reports of one chatgpt call at $0.05: cumulative at the end.
    assertThat(last(c.get("spendByProvider").get("claude"))).isEqualByComparingTo("0.88");
    assertThat(last(c.get("spendByProvider").get("chatgpt"))).isEqualByComparingTo("0.10");
    assertThat(c.get("spendByProvider").get("claude")).hasSize(steps);
    assertThat(last(c.get("spendByProject").get("list"))).isEqualByComparingTo("0.98");
    assertThat(c.get("budgets").toString()).contains("{\"kind\":\"PROJECT\",\"name\":\"list\",\"limit\":5")
        .contains("{\"kind\":\"PROVIDER\",\"name\":\"claude\",\"limit\":2").doesNotContain("GLOBAL");
    assertThat(last(c.get("tasksByState").get("SUCCEEDED")).intValue()).isEqualTo(46);
    assertThat(last(c.get("tasksByState").get("FAILED")).intValue()).isEqualTo(1);
    assertThat(last(c.get("tasksByState").get("CANCELLED")).intValue()).isEqualTo(1);
    JsonNode providers = c.get("providers");
    assertThat(texts(providers, "provider")).contains("claude", "chatgpt", "flaky");
    for (JsonNode p : providers) {
      switch (p.get("provider").asText()) {
        case "claude" -> {
          assertThat(p.get("calls").asInt()).isEqualTo(44);
          assertThat(p.get("failureRate").asDouble()).isZero();
        }
        case "flaky" -> assertThat(p.get("failureRate").asDouble()).isEqualTo(1.0);
        default -> { }
      }
      assertThat(p.get("latencyP95Ms").asLong()).isGreaterThanOrEqualTo(p.get("latencyP50Ms").asLong());
    }
    JsonNode all = http.getJson("api/charts");
    assertThat(all.get("budgets").toString()).contains("GLOBAL");
  }

  @Test
  @Order(2)
  void runsAreSearchedFilteredAndPagedOnTheServer() {
    JsonNode first = http.getJson("api/runs?project=list&limit=20");
    int total = first.get("total").asInt();
    assertThat(total).isEqualTo(26);
    assertThat(first.get("runs")).hasSize(20);
    for (JsonNode row : first.get("runs")) {
      // Runs of a template can run again; the others (built in code) cannot.
      assertThat(row.get("rerun").asBoolean()).as(row.toString())
          .isEqualTo(row.get("workflow").asText().equals("Weekly Digest"));
    }
    assertThat(first.get("workflows").toString()).contains("Weekly Digest", "Report", "Broken", "Stuck");
    assertThat(first.get("providers").toString()).contains("claude", "chatgpt", "flaky", "slow");
    JsonNode second = http.getJson("api/runs?project=list&limit=20&offset=20");
    assertThat(second.get("runs")).hasSize(6);
    assertThat(texts(second.get("runs"), "id")).doesNotContainAnyElementsOf(texts(first.get("runs"), "id"));

    assertThat(texts(http.getJson("api/runs?status=failed").get("runs"), "workflow")).containsExactly("Broken");
    assertThat(texts(http.getJson("api/runs?status=CANCELLED").get("runs"), "workflow")).containsExactly("Stuck");
    assertThat(http.getJson("api/runs?workflow=Report").get("total").asInt()).isEqualTo(2);
    assertThat(http.getJson("api/runs?provider=chatgpt").get("total").asInt()).isEqualTo(2);
    assertThat(http.getJson("api/runs?q=topic%207").get("total").asInt()).isEqualTo(1);
    assertThat(http.getJson("api/runs?from=2999-01-01").get("total").asInt()).isZero();

    HttpResponse<String> bad = http.get("api/runs?status=DONE");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("status must be one of").contains("DONE");
    assertThat(http.get("api/runs?from=yesterday").body()).contains("from must be a date");
    assertThat(http.get("api/runs?limit=0").statusCode()).isEqualTo(400);
  }

  @Test
  @Order(3)
  void aRunsDetailHasItsGraphPromptsOutputsAttemptsAndTransitions() {
    String id = http.getJson("api/runs?workflow=Weekly%20Digest&q=topic%203").get("runs").get(0).get("id").asText();
    JsonNode d = http.getJson("api/projects/list/runs/" + id + "/detail");
    assertThat(d.get("run").get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(d.get("params").get("topic").asText()).isEqualTo("topic 3");
    assertThat(d.get("graph").toString()).contains("{\"id\":\"write\",\"title\":\"Write the digest\","
        + "\"dependsOn\":[\"collect\"],\"providers\":[\"claude\"]}");
    JsonNode collect = d.get("tasks").get(0);
    assertThat(collect.get("taskId").asText()).isEqualTo("collect");
    assertThat(collect.get("prompt").asText()).contains("Collect this week's news about topic 3.");
    assertThat(collect.get("output").asText()).isEqualTo(PagesFixture.MARKDOWN);
    JsonNode attempt = collect.get("attempts").get(0);
    assertThat(attempt.get("provider").asText()).isEqualTo("claude");
    assertThat(attempt.get("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(attempt.get("inputTokens").asLong()).isEqualTo(120);
    assertThat(attempt.get("outputTokens").asLong()).isEqualTo(40);
    assertThat(attempt.get("cost").get("amount").decimalValue()).isEqualByComparingTo("0.02");
    assertThat(attempt.get("latencyMs").isNumber()).isTrue();
    assertThat(texts(collect.get("transitions"), "to")).contains("READY", "RUNNING", "SUCCEEDED");
    JsonNode write = d.get("tasks").get(1);
    assertThat(write.get("prompt").asText()).contains("Write a plain digest of 300 words").contains("bold point");
    assertThat(write.get("guards").toString()).contains("\"guard\":\"two-points\",\"phase\":\"OUTPUT\","
        + "\"action\":\"FLAG\",\"reason\":\"the digest has only two points\"");
    assertThat(collect.get("guards")).isEmpty();

    String broken = http.getJson("api/runs?workflow=Broken").get("runs").get(0).get("id").asText();
    JsonNode doomed = http.getJson("api/projects/list/runs/" + broken + "/detail").get("tasks").get(0);
    assertThat(doomed.get("state").asText()).isEqualTo("FAILED");
    assertThat(doomed.get("attempts").get(0).get("errorKind").asText()).isEqualTo("AUTH");
    assertThat(doomed.get("actions").toString()).isEqualTo("[\"retry\"]");
    assertThat(http.get("api/projects/list/runs/nope/detail").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(9)
  void aRunsDetailHasEachTasksConversationByAttemptAndItsCommits() {
    dev.orchestrator.run.Run run = fx.conversation();
    JsonNode draft = http.getJson("api/projects/talk/runs/" + run.id() + "/detail").get("tasks").get(0);
    assertThat(draft.get("output").asText()).isEqualTo("A **warmer** launch post.");
    JsonNode talk = draft.get("conversation");
    assertThat(talk).hasSize(3);
    assertThat(talk.get(0).get("attempt").asInt()).isEqualTo(1);
    assertThat(talk.get(0).get("from").asText()).isEqualTo("author");
    assertThat(talk.get(0).get("to").asText()).isEqualTo("critic");
    assertThat(talk.get(0).get("kind").asText()).isEqualTo("question");
    assertThat(talk.get(0).get("text").asText()).isEqualTo(PagesFixture.QUESTION.substring("ASK critic: ".length()));
    assertThat(talk.get(0).get("inputTokens").asLong()).isEqualTo(50);
    assertThat(talk.get(0).get("outputTokens").asLong()).isEqualTo(12);
    assertThat(talk.get(0).get("cost").get("amount").decimalValue()).isEqualByComparingTo("0.01");
    assertThat(talk.get(1).get("from").asText() + ">" + talk.get(1).get("to").asText() + " "
        + talk.get(1).get("kind").asText() + ": " + talk.get(1).get("text").asText())
        .isEqualTo("critic>author answer: Too formal; be warmer.");
    assertThat(talk.get(1).get("inputTokens").asLong()).isEqualTo(30);
    assertThat(talk.get(1).get("outputTokens").asLong()).isEqualTo(10);
    assertThat(talk.get(1).get("cost").get("amount").decimalValue()).isEqualByComparingTo("0.03");
    assertThat(talk.get(2).get("from").asText() + ">" + talk.get(2).get("to").asText() + " "
        + talk.get(2).get("kind").asText() + ": " + talk.get(2).get("text").asText())
        .isEqualTo("author>task final: A **warmer** launch post.");
    assertThat(talk.get(2).get("attempt").asInt()).isEqualTo(1);
    assertThat(talk.get(2).get("at").isTextual()).isTrue();
    assertThat(draft.get("commits")).isEmpty();
    JsonNode before = http.getJson("api/projects/talk/runs/" + run.id() + "/detail");
    assertThat(before.get("runBranch").isNull()).isTrue();

    fx.commit(run);
    JsonNode d = http.getJson("api/projects/talk/runs/" + run.id() + "/detail");
    assertThat(d.get("runBranch").asText()).isEqualTo("orchestrator/" + run.id() + "/@run");
    assertThat(d.get("runCommits")).isEmpty();
    JsonNode commits = d.get("tasks").get(0).get("commits");
    assertThat(commits).hasSize(2);
    assertThat(commits.get(0).get("commit").asText()).isEqualTo(PagesFixture.TASK_COMMIT);
    assertThat(commits.get(0).get("shortId").asText()).isEqualTo("3f2a9c1");
    assertThat(commits.get(0).get("action").asText()).isEqualTo("task");
    assertThat(commits.get(0).get("branch").asText()).isEqualTo("orchestrator/" + run.id() + "/draft");
    assertThat(commits.get(0).get("files").toString()).isEqualTo("[\"posts/launch.md\",\"README.md\"]");
    assertThat(commits.get(1).get("shortId").asText()).isEqualTo("9b8c7d6");
    assertThat(commits.get(1).get("action").asText()).isEqualTo("merge");
    assertThat(commits.get(1).get("branch").asText()).isEqualTo("orchestrator/" + run.id() + "/@run");
    // A run without conversations or commits has empty lists and no branch.
    String id = http.getJson("api/runs?workflow=Weekly%20Digest&q=topic%203").get("runs").get(0).get("id").asText();
    JsonNode digest = http.getJson("api/projects/list/runs/" + id + "/detail");
    assertThat(digest.get("tasks").get(0).get("conversation")).isEmpty();
    assertThat(digest.get("tasks").get(0).get("commits")).isEmpty();
    assertThat(digest.get("runBranch").isNull()).isTrue();
  }

  @Test
  @Order(10)
  void aCommitsDiffIsReadOnlyWhenTheProjectsRepositoryIsOnThisMachine() throws java.io.IOException {
    dev.orchestrator.run.Run run = fx.conversation();
    fx.commit(run);
    String detail = "api/projects/talk/runs/" + run.id() + "/detail";
    assertThat(http.getJson(detail).get("diffs").asBoolean()).isFalse();
    String fake = "api/projects/talk/runs/" + run.id() + "/commits/" + PagesFixture.TASK_COMMIT + "/diff";
    assertThat(http.get(fake).statusCode()).isEqualTo(404);
    assertThat(http.get(fake).body()).contains("is not on the dashboard's machine").contains("vcs.repository");

    java.nio.file.Path repo = java.nio.file.Files.createTempDirectory("dashboard-vcs-");
    try {
      String commit = fx.commitInRepository(run, repo, "launch.md", "A warmer launch post.\n<script>x</script>\n");

      assertThat(http.getJson(detail).get("diffs").asBoolean()).isTrue();
      JsonNode diff = http.getJson("api/projects/talk/runs/" + run.id() + "/commits/" + commit + "/diff");
      assertThat(diff.get("commit").asText()).isEqualTo(commit);
      assertThat(diff.get("truncated").asBoolean()).isFalse();
      assertThat(diff.get("diff").asText()).startsWith(commit + "\nTest <test@example.com>\n")
          .contains("draft: the post").contains("+++ b/launch.md").contains("+A warmer launch post.")
          .contains("+<script>x</script>");
      // A commit the run's events do not name is not shown, even when the repository has it.
      String other = "api/projects/talk/runs/" + run.id() + "/commits/" + PagesFixture.MERGE_COMMIT.replace('9', '8')
          + "/diff";
      assertThat(http.get(other).statusCode()).isEqualTo(404);
      assertThat(http.get(other).body()).contains("has no commit");
      // A commit the events name that the repository no longer has: said so.
      assertThat(http.get(fake).statusCode()).isEqualTo(404);
      assertThat(http.get(fake).body()).contains("git show " + PagesFixture.TASK_COMMIT + " failed");
    } finally {
      fx.dropRepository(repo);
    }
  }

  @Test
  @Order(4)
  void templatesListTheirParameterSchemaAndStartFromAFormsValues() {
    JsonNode list = http.getJson("api/templates");
    JsonNode digest = null;
    for (JsonNode t : list) {
      if (t.get("id").asText().equals("weekly-digest")) {
        digest = t;
      }
    }
    assertThat(digest).as("the user template in the list").isNotNull();
    assertThat(digest.get("parameters").toString()).contains("\"name\":\"topic\",\"type\":\"string\",\"required\":true")
        .contains("\"name\":\"words\",\"type\":\"integer\",\"required\":false,\"defaultValue\":300")
        .contains("\"allowedValues\":[\"plain\",\"playful\"]");
    assertThat(http.getJson("api/templates/weekly-digest").get("tasks").get(1).get("dependsOn").toString())
        .isEqualTo("[\"collect\"]");
    // What the builder does not edit comes in the template format, for it to write back.
    JsonNode blog = http.getJson("api/templates/blog_post_pipeline");
    assertThat(blog.get("parameters").get(1).get("spec").toString())
        .isEqualTo("{\"type\":\"integer\",\"description\":\"Length of the finished post in words.\",\"default\":1200,"
            + "\"min\":300,\"max\":5000,\"example\":1200}");
    assertThat(blog.get("tasks").get(0).get("extra").toString())
        .isEqualTo("{\"task_type\":\"research\",\"timeout\":\"PT5M\",\"max_output_tokens\":3000}");

    ObjectNode body = Http.JSON.createObjectNode();
    body.putObject("values").put("topic", "comets").put("words", 500).put("tone", "playful");
    HttpResponse<String> r = http.post("api/projects/starts/templates/weekly-digest/run", body.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String runId = Http.json(r).get("runId").asText();
    PagesFixture.finish(fx.orchestrator.run("starts", runId).orElseThrow());
    JsonNode d = http.getJson("api/projects/starts/runs/" + runId + "/detail");
    assertThat(d.get("params").get("words").asText()).isEqualTo("500");
    assertThat(d.get("tasks").get(1).get("prompt").asText()).contains("Write a playful digest of 500 words");

    ObjectNode missing = Http.JSON.createObjectNode();
    missing.putObject("values").put("words", 50);
    HttpResponse<String> refused = http.post("api/projects/starts/templates/weekly-digest/run", missing.toString());
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("topic").contains("words");
    assertThat(http.post("api/projects/starts/templates/nope/run", "{}").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(4)
  void aTemplateIsScheduledFromAFormsValuesAndACronExpression() {
    assertThat(http.session().get("scheduling").asBoolean()).isTrue();
    ObjectNode body = Http.JSON.createObjectNode().put("cron", "0 9 * * MON");
    body.putObject("values").put("topic", "comets");
    HttpResponse<String> r = http.post("api/projects/starts/templates/weekly-digest/schedule", body.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String id = Http.json(r).get("id").asText();
    assertThat(id).startsWith("weekly-digest-");
    assertThat(Http.json(r).get("nextFire").asText()).isNotEmpty();
    var stored = fx.scheduling.find(id).orElseThrow().schedule();
    assertThat(stored.project()).isEqualTo("starts");
    assertThat(stored.params()).containsEntry("topic", "comets").containsEntry("words", "300");
    assertThat(stored.workflow().name()).isEqualTo("Weekly Digest");

    HttpResponse<String> badCron = http.post("api/projects/starts/templates/weekly-digest/schedule",
        body.put("cron", "every monday").toString());
    assertThat(badCron.statusCode()).isEqualTo(400);
    assertThat(badCron.body()).contains("'cron' is not a schedule").contains("0 9 * * MON");
  }

  @Test
  @Order(5)
  void aFinishedRunRunsAgainWithItsValues() {
    String id = http.getJson("api/runs?q=topic%205").get("runs").get(0).get("id").asText();
    HttpResponse<String> r = http.post("api/projects/list/runs/" + id + "/rerun", "{}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String again = Http.json(r).get("runId").asText();
    assertThat(again).isNotEqualTo(id);
    PagesFixture.finish(fx.orchestrator.run("list", again).orElseThrow());
    assertThat(http.getJson("api/projects/list/runs/" + again + "/detail").get("params").get("topic").asText())
        .isEqualTo("topic 5");

    String report = http.getJson("api/runs?workflow=Report").get("runs").get(0).get("id").asText();
    HttpResponse<String> refused = http.post("api/projects/list/runs/" + report + "/rerun", "{}");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("was not started from a template");
  }

  static String workflow(String... tasks) {
    return "{\"name\": \"Fan in\", \"parameters\": {\"topic\": {\"type\": \"string\", \"default\": \"tides\"}},"
        + " \"tasks\": [" + String.join(",", tasks) + "]}";
  }

  static String task(String id, String provider, String... deps) {
    return "{\"id\": \"" + id + "\", \"title\": \"" + id + " {{topic}}\", \"assigned_to\": \"" + provider + "\","
        + " \"depends_on\": [" + String.join(",", java.util.Arrays.stream(deps).map(d -> "\"" + d + "\"").toList())
        + "]}";
  }

  private static JsonNode check(String json) {
    HttpResponse<String> r = http.post("api/projects/build/builder/check",
        Http.JSON.createObjectNode().put("template", json).toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Http.json(r);
  }

  @Test
  @Order(6)
  void theBuilderIsCheckedByTheServersOwnRulesWithTheCycleNamedOnItsTasks() {
    JsonNode cycle = check(workflow(task("a", "claude", "c"), task("b", "claude", "a"), task("c", "claude", "b")));
    assertThat(cycle.get("ok").asBoolean()).isFalse();
    assertThat(cycle.get("cycle").toString()).contains("\"a\"", "\"b\"", "\"c\"");
    assertThat(cycle.get("problems").get(0).get("tasks").toString()).contains("\"a\"", "\"b\"", "\"c\"");
    assertThat(cycle.get("problems").get(0).get("message").asText()).contains("cycle");
    assertThat(cycle.get("dryRun").isNull()).isTrue();

    JsonNode fanIn = check(workflow(task("a", "claude"), task("b", "chatgpt"), task("c", "claude", "a", "b"),
        task("d", "auto", "c")));
    assertThat(fanIn.get("ok").asBoolean()).as(fanIn.toString()).isTrue();
    JsonNode waves = fanIn.get("dryRun").get("waves");
    assertThat(waves).hasSize(3);
    assertThat(texts(waves.get(0), "taskId")).containsExactlyInAnyOrder("a", "b");
    assertThat(fanIn.get("dryRun").get("high").get("amount").decimalValue())
        .isGreaterThanOrEqualTo(fanIn.get("dryRun").get("low").get("amount").decimalValue());

    JsonNode unknown = check(workflow(task("a", "gemini")));
    assertThat(unknown.get("ok").asBoolean()).isFalse();
    assertThat(unknown.get("problems").toString()).contains("gemini").contains("[\"a\"]");

    JsonNode missing = check("{\"name\": \"M\", \"tasks\": [{\"id\": \"a\", \"title\": \"About {{subject}}\"}]}");
    assertThat(missing.get("ok").asBoolean()).isFalse();
    assertThat(missing.get("problems").toString()).contains("subject");

    HttpResponse<String> started = http.post("api/projects/build/builder/run", Http.JSON.createObjectNode()
        .put("template", workflow(task("a", "claude"), task("b", "chatgpt", "a"))).toString());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    PagesFixture.finish(fx.orchestrator.run("build", Http.json(started).get("runId").asText()).orElseThrow());
    HttpResponse<String> refused = http.post("api/projects/build/builder/run", Http.JSON.createObjectNode()
        .put("template", workflow(task("a", "claude", "a"))).toString());
    assertThat(refused.statusCode()).isEqualTo(400);
  }
}
