package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code learn report} after workflows ran on several providers and task types. */
class LearnReportTest {
  /** Two summaries (gemini, chatgpt) and two code tasks (claude, and an agent whose command always fails). */
  private static final String WORKFLOW = """
      { "name": "Mixed work", "tasks": [
        {"id": "sum-gemini", "title": "Summary", "task_type": "summarization", "assigned_to": "gemini",
         "instructions": "Summarise the tides."},
        {"id": "sum-chatgpt", "title": "Summary", "task_type": "summarization", "assigned_to": "chatgpt",
         "instructions": "Summarise the tides."},
        {"id": "code-claude", "title": "Code", "task_type": "code_generation", "assigned_to": "claude",
         "instructions": "Write a tide table parser."},
        {"id": "code-broken", "title": "Code", "task_type": "code_generation", "assigned_to": "broken",
         "instructions": "Write a tide table parser."}
      ] }
      """;

  @TempDir
  Path temp;

  CliHarness cli;

  @BeforeEach
  void setUp() throws IOException {
    cli = new CliHarness(temp.resolve("data"));
  }

  @AfterEach
  void tearDown() {
    cli.close();
  }

  /** Call times depend on the machine: they become {@code <t>}, and the table's padding one blank per gap. */
  private static String stable(String out) {
    return out.replaceAll("\\b\\d+(\\.\\d+)?(ms|s)\\b|\\b\\d+m\\d\\ds\\b", "<t>").replaceAll(" {2,}", "  ");
  }

  /**
   * Call times become {@code <t>}, weighted totals {@code <weighted>}; decimals keep 3 significant digits. Recent outcomes weigh more (by their age
   * against the newest event), so weighted counts and totals move in their sixth digit with how long the runs took.
   */
  private static String stableJson(String out) {
    String timed = out.replaceAll("\"(avg_time|latency_p50|latency_p95)\" : \"[^\"]*\"", "\"$1\" : \"<t>\"")
        // a sum weighted by age with more successes in it than a cost per success: it sits near a rounding edge
        .replaceAll("\"total_cost_usd\" : \"[^\"]*\"", "\"total_cost_usd\" : \"<weighted>\"");
    return java.util.regex.Pattern.compile("(?<![\\w.$])(\\d+\\.\\d{4,})(?![\\w.])").matcher(timed)
        .replaceAll(m -> new java.math.BigDecimal(m.group(1)).round(new java.math.MathContext(3)).toPlainString());
  }

  @Test
  void anEmptyStoreSaysHowFiguresAppear() throws IOException {
    CliHarness.Result r = cli.run("learn", "report");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("Nothing to learn from yet in project default: figures appear here once tasks"
        + " have run (each provider's attempts, successes, reviews, time and cost per task type, from the store's"
        + " events).\n");
    JsonNode json = new ObjectMapper().readTree(cli.run("learn", "report", "--all", "--json").out());
    assertThat(json.get("ai_performance").size()).isZero();
    assertThat(json.get("recommendations").size()).isZero();
  }

  @Test
  void reportsEachProviderOnEachTypeWithRecommendations() throws IOException {
    Path f = temp.resolve("mixed.json");
    Files.writeString(f, WORKFLOW);
    for (int i = 0; i < 3; i++) {
      CliHarness.Result run = cli.run("run", f.toString());
      assertThat(run.code()).as(run.toString()).isEqualTo(1); // the broken agent fails its task
    }
    CliHarness.Result early = cli.run("learn", "report");
    assertThat(early.out()).contains(
        "- Not enough data yet on code_generation: a comparison needs at least 5 attempts on two providers"
            + " (broken 3, claude 3)");
    for (int i = 0; i < 7; i++) {
      assertThat(cli.run("run", f.toString()).code()).isEqualTo(1);
    }
    CliHarness.Result r = cli.run("learn", "report");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Demoted:\n- broken failed 10 of its last 10 code_generation attempts",
        "- Stop assigning code_generation to broken: 10 of 10 recent attempts failed",
        "- No clear winner on summarization: ");
    Golden.assertMatches("learn-report.txt", stable(r.out()), temp);

    CliHarness.Result json = cli.run("learn", "report", "--json");
    assertThat(json.code()).as(json.toString()).isZero();
    Golden.assertMatches("learn-report.json", stableJson(json.out()), temp);
    JsonNode claude = new ObjectMapper().readTree(json.out()).get("ai_performance").get("claude")
        .get("code_generation");
    assertThat(claude.get("success_rate").asDouble()).isEqualTo(1.0);
    assertThat(claude.get("cost").asText()).startsWith("$");
    assertThat(claude.get("samples").asLong()).isEqualTo(10);

    // the runs were in the default project: another project has nothing, --all has everything
    assertThat(cli.run("project", "create", "Other").code()).isZero();
    assertThat(cli.run("--project", "Other", "learn", "report").out()).startsWith("Nothing to learn from yet");
    assertThat(cli.run("--project", "Other", "learn", "report", "--all").out())
        .startsWith("Learning report for all projects:");
  }

  @Test
  void aRunWaitsForItsShadowComparisonAndTheReportShowsIt() throws IOException {
    Files.writeString(cli.dataDir.resolve("config.json"), CliHarness.CONFIG.replace("\"timeZone\": \"UTC\",",
        "\"timeZone\": \"UTC\", \"shadow\": {\"sampleRate\": 1, \"seed\": 3, \"promoteAfter\": \"1 of 1\","
            + " \"judge\": \"chatgpt\"},"));
    Path f = temp.resolve("summary.json");
    Files.writeString(f, """
        { "name": "Summary", "tasks": [
          {"id": "sum", "title": "Summary", "task_type": "summarization", "assigned_to": ["claude", "gemini"],
           "instructions": "Summarise the tides."} ] }
        """);
    CliHarness.Result run = cli.run("run", f.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.err()).as(run.toString()).contains("Waiting for shadow comparison ")
        .containsPattern("Shadow comparison \\S+ SUCCEEDED, cost \\$");

    CliHarness.Result status = cli.run("status");
    assertThat(status.out()).as(status.toString()).containsPattern("shadow-comparison +SUCCEEDED +2/2");

    CliHarness.Result report = cli.run("learn", "report");
    assertThat(report.out()).as(report.toString()).contains("Shadow comparisons (")
        .containsPattern("gemini +summarization +1 +[01] +\\$");
    JsonNode json = new ObjectMapper().readTree(cli.run("learn", "report", "--json").out());
    JsonNode tally = json.get("shadow_evaluation").get(0);
    assertThat(tally.get("challenger").asText()).isEqualTo("gemini");
    assertThat(tally.get("comparisons").asLong()).isEqualTo(1);
    assertThat(tally.get("promoted").asBoolean()).isEqualTo(tally.get("challenger_wins").asLong() == 1);
  }
}
