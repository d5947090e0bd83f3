package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command through picocli, in this process, against a temporary data directory. */
class CommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] BLOG = {"run", "blog_post_pipeline", "--param", "topic=Home composting",
      "--param", "seo_keywords=compost,bokashi"};

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

  private Path workflow(String name, String json) throws IOException {
    Path f = temp.resolve(name);
    Files.writeString(f, json);
    return f;
  }

  @Test
  void everyCommandHasHelp() {
    for (List<String> cmd : List.<List<String>>of(List.of(), List.of("run"), List.of("dry-run"), List.of("status"),
        List.of("logs"), List.of("cancel"), List.of("resume"), List.of("answer"), List.of("budget"),
        List.of("budget", "set"), List.of("budget", "report"), List.of("project"), List.of("project", "create"),
        List.of("project", "list"), List.of("project", "switch"), List.of("project", "show"),
        List.of("project", "archive"), List.of("project", "restore"), List.of("template"),
        List.of("template", "list"), List.of("template", "show"), List.of("template", "run"),
        List.of("template", "validate"), List.of("priority"), List.of("task"), List.of("task", "create"),
        List.of("providers"), List.of("worker"), List.of("notifications"), List.of("learn"),
        List.of("learn", "report"), List.of("rollback"), List.of("project", "vcs"))) {
      String[] args = java.util.stream.Stream.concat(cmd.stream(), java.util.stream.Stream.of("--help"))
          .toArray(String[]::new);
      CliHarness.Result r = cli.run(args);
      assertThat(r.code()).as(String.join(" ", cmd)).isZero();
      assertThat(r.out()).as(String.join(" ", cmd)).startsWith("Usage: orchestrator").doesNotContain("null");
    }
    assertThat(cli.run("--help").out()).contains("Exit codes:", "130  interrupted");
    assertThat(cli.run("worker", "--help").out()).contains("fencing tokens");
  }

  @Test
  void runsTheBlogTemplateOnTheSimulatorAndSaysSo() {
    CliHarness.Result r = cli.run(BLOG);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("SIMULATED (no API key, offline answers): claude (ANTHROPIC_API_KEY)",
        "research: started on gemini (simulated)",
        "Overall: SUCCEEDED, 6/6 tasks done", "Output of publish:", "[SIMULATED reply from chatgpt");
    assertThat(r.out()).containsPattern("publish +SUCCEEDED +chatgpt \\(simulated\\)");
    assertThat(r.err()).isEmpty();
    // state persists: the next command sees the run
    assertThat(cli.run("status").out()).containsPattern("Blog Post Pipeline +SUCCEEDED +6/6");
  }

  @Test
  void runJsonIsForScripts() throws IOException {
    String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(BLOG), java.util.stream.Stream.of(
        "--json")).toArray(String[]::new);
    CliHarness.Result r = cli.run(args);
    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode n = JSON.readTree(r.out());
    assertThat(n.at("/run/status").asText()).isEqualTo("SUCCEEDED");
    assertThat(n.at("/tasks").size()).isEqualTo(6);
    assertThat(n.at("/simulated").toString()).contains("claude", "chatgpt", "gemini");
  }

  @Test
  void badInputIsOneLineWithItsExitCode() throws IOException {
    CliHarness.Result missing = cli.run("run", "blog_post_pipeline");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith("orchestrator: blog_post_pipeline:").contains("topic");
    assertThat(missing.err().strip().lines()).hasSize(1);

    CliHarness.Result unknown = cli.run("run", "no_such_template");
    assertThat(unknown.code()).isEqualTo(3);
    assertThat(unknown.err()).startsWith("orchestrator: ");

    assertThat(cli.run("run", "--no-such-option", "x").code()).isEqualTo(2);
    assertThat(cli.run("status", "ffff0000").code()).isEqualTo(3);

    Files.writeString(cli.dataDir.resolve("config.json"), "{ \"providers\": [ }");
    CliHarness.Result config = cli.run("providers");
    assertThat(config.code()).isEqualTo(4);
    assertThat(config.err()).startsWith("orchestrator: configuration file ").contains("not valid JSON");
    assertThat(config.err()).doesNotContain("\tat ");
    CliHarness.Result verbose = cli.run("providers", "--verbose");
    assertThat(verbose.err()).contains("\tat ");
  }

  @Test
  void aBadLeaseIsAConfigurationErrorNamingTheVariable() {
    cli.env.put("ORCHESTRATOR_LEASE", "500ms");
    CliHarness.Result tooShort = cli.run(BLOG);
    assertThat(tooShort.code()).isEqualTo(4);
    assertThat(tooShort.err()).contains("ORCHESTRATOR_LEASE must be at least 1s", "'500ms'");
    cli.env.put("ORCHESTRATOR_LEASE", "soon");
    CliHarness.Result notADuration = cli.run("worker", "--once");
    assertThat(notADuration.code()).isEqualTo(4);
    assertThat(notADuration.err()).contains("ORCHESTRATOR_LEASE must be a duration", "'soon'");
    assertThat(cli.run("status").out()).contains("has no runs yet");
  }

  @Test
  void missingKeyIsAnErrorWhenSimulationIsNotAllowed() throws IOException {
    Files.writeString(cli.dataDir.resolve("config.json"), CliHarness.CONFIG.replace(
        "\"simulateMissingKeys\": true", "\"simulateMissingKeys\": false"));
    CliHarness.Result r = cli.run(BLOG);
    assertThat(r.code()).isEqualTo(4);
    assertThat(r.err()).contains("provider 'claude' has no API key: set the environment variable "
        + "ANTHROPIC_API_KEY");
    assertThat(cli.run("providers").out()).contains("NO KEY: set ANTHROPIC_API_KEY");
  }

  @Test
  void dryRunPrintsThePlanGolden() throws IOException {
    CliHarness.Result r = cli.run("dry-run", "blog_post_pipeline", "--param", "topic=Tides", "--param",
        "seo_keywords=tide,moon");
    assertThat(r.code()).as(r.toString()).isZero();
    Golden.assertMatches("dry-run.txt", r.out(), temp);
  }

  @Test
  void dryRunWithProblemsExitsOne() throws IOException {
    Path f = workflow("bad.json", """
        { "name": "Bad", "tasks": [ {"id": "a", "title": "A", "assigned_to": "nobody", "instructions": "x"} ] }
        """);
    CliHarness.Result r = cli.run("dry-run", f.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).contains("nobody", "Problems found");
    assertThat(cli.run("dry-run", f.toString(), "--json").out()).contains("\"ok\" : false");
  }

  @Test
  void budgetSetAndReportGolden() throws IOException {
    assertThat(cli.run("project", "create", "Quantum Self").code()).isZero();
    assertThat(cli.run("budget", "set", "--project", "Quantum Self", "--limit", "$100").out())
        .isEqualTo("Budget set: project Quantum Self limit $100.00.\n");
    assertThat(cli.run("budget", "set", "--ai", "Claude", "--daily-limit", "20").out())
        .isEqualTo("Budget set: provider claude (daily) limit $20.00.\n");
    assertThat(cli.run("budget", "set", "--provider", "gemini", "--limit", "5").code()).isZero();
    String[] run = java.util.stream.Stream.concat(java.util.stream.Stream.of("--project", "Quantum Self"),
        java.util.Arrays.stream(BLOG)).toArray(String[]::new);
    assertThat(cli.run(run).code()).isZero();
    CliHarness.Result r = cli.run("--project", "Quantum Self", "budget", "report");
    assertThat(r.code()).as(r.toString()).isZero();
    Golden.assertMatches("budget-report.txt", r.out(), temp);
    Golden.assertMatches("budget-report.json", cli.run("--project", "Quantum Self", "budget", "report", "--json")
        .out(), temp);
    Golden.assertMatches("project-list.json", cli.run("project", "list", "--all", "--json").out(), temp);
    Golden.assertMatches("project-list.txt", cli.run("project", "list", "--all").out(), temp);
    assertThat(cli.run("budget", "report", "--all", "--json").out()).contains("\"report\"", "\"simulated\"",
        "\"estimated\"", "\"measured\"", "\"overrun\"", "\"unpricedCalls\"");

    assertThat(cli.run("budget", "set", "--limit", "1", "--daily-limit", "2").code()).isEqualTo(2);
    assertThat(cli.run("budget", "set", "--daily-limit", "2").code()).isEqualTo(2);
    assertThat(cli.run("budget", "set", "--limit", "lots").code()).isEqualTo(2);
    CliHarness.Result unknown = cli.run("budget", "set", "--ai", "Grok", "--daily-limit", "2");
    assertThat(unknown.code()).isEqualTo(3);
    assertThat(unknown.err()).contains("there is no provider instance 'Grok'", "claude, chatgpt, gemini");
  }

  @Test
  void reportsAfterARunSaySimulated() {
    cli.run(BLOG);
    CliHarness.Result report = cli.run("budget", "report");
    assertThat(report.out()).contains("Total spent: $0.0071", "claude: $0.0051", "SIMULATED")
        .doesNotContain("Claude:");
    CliHarness.Result providers = cli.run("providers");
    assertThat(providers.code()).isZero();
    assertThat(providers.out()).containsPattern("claude +anthropic +claude-sonnet-4-5 +simulated");
    assertThat(providers.out()).contains("offline: ANTHROPIC_API_KEY not set", "CLOSED");
    assertThat(cli.run("providers", "--json").out()).contains("\"simulated\" : true", "\"spentToday\"");
  }

  @Test
  void statusAndLogs() throws IOException {
    assertThat(cli.run("status").out()).contains("has no runs yet");
    cli.run(BLOG);
    JsonNode runs = JSON.readTree(cli.run("status", "--json").out());
    String id = runs.at("/runs/0/run/id").asText();
    CliHarness.Result one = cli.run("status", id.substring(0, 8));
    assertThat(one.out()).containsPattern("research +SUCCEEDED +gemini \\(simulated\\)");
    assertThat(one.out()).contains("Run " + id,
        "Simulated providers in this run: claude, chatgpt, gemini.");
    assertThat(cli.run("logs").out()).contains("RunSubmitted", "TaskSucceeded", "RunFinished");
    CliHarness.Result task = cli.run("logs", "edit");
    assertThat(task.out()).contains("Task edit of run " + id, "Attempt 1:", "Output:", "[SIMULATED reply");
    assertThat(cli.run("logs", id + ":edit", "--json").out()).contains("\"type\" : \"TaskStarted\"");
    assertThat(cli.run("logs", "nosuchtask").code()).isEqualTo(3);
  }

  /** The rows of a text event table, each cell trimmed: the same whatever the column widths. */
  private static List<List<String>> eventRows(String out) {
    return out.lines().filter(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d .*"))
        .map(l -> List.of(l.split(" {2,}"))).toList();
  }

  @Test
  void logsFollowPrintsARunsEventsAsAnotherInvocationAppendsThemAndEndsWithTheRun() throws Exception {
    Path f = workflow("slow.json", """
        { "name": "Slow", "tasks": [
          {"id": "draft", "title": "Draft", "assigned_to": "claude", "instructions": "x"},
          {"id": "wait", "title": "Wait", "assigned_to": "slow", "depends_on": ["draft"], "instructions": "wait"},
          {"id": "after", "title": "After", "assigned_to": "claude", "depends_on": ["wait"], "instructions": "x"} ] }
        """);
    CountDownLatch started = new CountDownLatch(1);
    StringWriter runOut = new LatchWriter("wait: started", started);
    CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(() -> cli.run(runOut, "run", f.toString()));
    assertThat(started.await(30, TimeUnit.SECONDS)).as(runOut.toString()).isTrue();
    String runId = JSON.readTree(cli.run("status", "--json").out()).at("/runs/0/run/id").asText();

    // Three followers at once: the run as text, the run as JSON lines, one task; each has printed the history.
    CountDownLatch caughtUp = new CountDownLatch(3);
    StringWriter text = new LatchWriter("on slow, attempt 1", caughtUp);
    StringWriter json = new LatchWriter("\"provider\":\"slow\"", caughtUp);
    StringWriter task = new LatchWriter("on slow, attempt 1", caughtUp);
    CompletableFuture<CliHarness.Result> followText =
        CompletableFuture.supplyAsync(() -> cli.run(text, "logs", runId.substring(0, 8), "--follow"));
    CompletableFuture<CliHarness.Result> followJson =
        CompletableFuture.supplyAsync(() -> cli.run(json, "logs", runId, "-f", "--json"));
    CompletableFuture<CliHarness.Result> followTask =
        CompletableFuture.supplyAsync(() -> cli.run(task, "logs", "-f", runId + ":wait"));
    assertThat(caughtUp.await(30, TimeUnit.SECONDS)).as(text + "\n" + json + "\n" + task).isTrue();
    assertThat(followText).as("a follower of a running run waits for its end").isNotDone();

    assertThat(cli.run("cancel", "wait").code()).isZero();
    assertThat(run.get(30, TimeUnit.SECONDS).code()).isEqualTo(1);

    CliHarness.Result t = followText.get(30, TimeUnit.SECONDS);
    assertThat(t.code()).as(t.toString()).isZero();
    assertThat(t.out()).startsWith("Events of run " + runId + " (Slow, RUNNING):\nTIME ");
    List<List<String>> rows = eventRows(t.out());
    assertThat(rows).as("every event once, in the order and words of `logs`")
        .isEqualTo(eventRows(cli.run("logs", runId).out()));
    assertThat(rows).extracting(r -> r.get(1) + " " + r.get(2)).contains("TaskCancelled wait", "TaskSkipped after")
        .last().isEqualTo("RunFinished -");
    assertThat(t.out().strip().lines().reduce((a, b) -> b).orElseThrow()).contains("RunFinished", "CANCELLED");

    CliHarness.Result j = followJson.get(30, TimeUnit.SECONDS);
    assertThat(j.code()).as(j.toString()).isZero();
    List<String> types = new java.util.ArrayList<>();
    for (String line : j.out().strip().split("\n")) {
      JsonNode n = JSON.readTree(line);
      assertThat(n.get("run").asText()).isEqualTo(runId);
      assertThat(n.at("/event/runId").asText()).isEqualTo(runId);
      types.add(n.get("type").asText());
    }
    List<String> logged = new java.util.ArrayList<>();
    JSON.readTree(cli.run("logs", runId, "--json").out()).get("events").forEach(e -> logged.add(e.get("type").asText()));
    assertThat(types).isEqualTo(logged).endsWith("RunFinished");

    CliHarness.Result k = followTask.get(30, TimeUnit.SECONDS);
    assertThat(k.code()).as(k.toString()).isZero();
    assertThat(k.out()).startsWith("Task wait of run " + runId + ": Wait (RUNNING)");
    assertThat(eventRows(k.out())).extracting(r -> r.get(1) + " " + r.get(2))
        .containsExactly("TaskReady wait", "TaskStarted wait", "TaskCancelled wait", "RunFinished -");

    // A finished run: its events, then the command ends at once.
    CliHarness.Result done = cli.run("logs", "-f", runId);
    assertThat(done.code()).isZero();
    assertThat(eventRows(done.out())).isEqualTo(rows);
    assertThat(cli.run("logs", "-f", "nosuchrun").code()).isEqualTo(3);
  }

  @Test
  void projects() {
    assertThat(cli.run("project", "create", "quantum-self").out()).contains("Project quantum-self created");
    assertThat(cli.run("project", "create", "quantum-self").code()).isEqualTo(5);
    assertThat(cli.run("project", "switch", "nope").code()).isEqualTo(3);
    assertThat(cli.run("project", "switch", "quantum-self").out()).isEqualTo("Current project: quantum-self.\n");
    assertThat(cli.run("project", "show").out()).contains("Project quantum-self (current)", "Runs: 0");
    assertThat(cli.run("project", "list").out()).contains("*  quantum-self");
    assertThat(cli.run("project", "archive", "quantum-self").out()).contains("archived");
    assertThat(cli.run("project", "list").out()).startsWith("No projects yet");
    assertThat(cli.run("project", "list", "--all").out()).contains("quantum-self", "archived");
    CliHarness.Result refused = cli.run(BLOG);
    assertThat(refused.code()).isEqualTo(5);
    assertThat(refused.err()).contains("archived and read-only");
    assertThat(cli.run("project", "restore", "quantum-self").out()).contains("restored");
    assertThat(cli.run("project", "list", "--json").out()).contains("\"current\" : true");
  }

  @Test
  void templates() {
    CliHarness.Result list = cli.run("template", "list");
    assertThat(list.out()).contains("blog_post_pipeline", "content_generation");
    CliHarness.Result show = cli.run("template", "show", "blog_post_pipeline");
    assertThat(show.out()).contains("Parameters:", "topic", "Tasks:", "research",
        "Run it: orchestrator run blog_post_pipeline --param topic=");
    assertThat(cli.run("template", "list", "--json").out()).contains("\"id\" : \"blog_post_pipeline\"");
    assertThat(cli.run("template", "show", "nope").code()).isEqualTo(3);
    CliHarness.Result run = cli.run("template", "run", "blog_post_pipeline", "--param", "topic=x", "--param",
        "seo_keywords=y");
    assertThat(run.code()).as(run.toString()).isZero();
  }

  @Test
  void cancelFromAnotherInvocationWhileTheRunIsInProgress() throws Exception {
    Path f = workflow("slow.json", """
        { "name": "Slow", "tasks": [
          {"id": "wait", "title": "Wait", "assigned_to": "slow", "instructions": "wait"},
          {"id": "after", "title": "After", "assigned_to": "claude", "depends_on": ["wait"], "instructions": "x"} ] }
        """);
    CountDownLatch started = new CountDownLatch(1);
    StringWriter out = new LatchWriter("wait: started", started);
    CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(() -> cli.run(out, "run", f.toString()));
    assertThat(started.await(30, TimeUnit.SECONDS)).as(out.toString()).isTrue();

    CliHarness.Result status = cli.run("status", "--json");
    String engine = JSON.readTree(status.out()).at("/runs/0/engine").asText();
    assertThat(engine).as(status.toString()).startsWith("run@");
    assertThat(cli.run("status", JSON.readTree(status.out()).at("/runs/0/run/id").asText()).out())
        .contains("Executed by engine " + engine + ".");

    CliHarness.Result cancel = cli.run("cancel", "wait");
    assertThat(cancel.code()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).contains("Cancelled task wait of run", ": engine " + engine + ", which executes the run",
        "Task wait is now CANCELLED.");

    CliHarness.Result done = run.get(30, TimeUnit.SECONDS);
    assertThat(done.code()).as(done.toString()).isEqualTo(1);
    assertThat(done.out()).contains("wait: cancelled by", "after: skipped", "CANCELLED");
    assertThat(cli.run("cancel", "wait").out()).contains("Nothing to cancel");
  }

  @Test
  void resumeAFailedTaskInANewProcess() throws IOException {
    Path f = workflow("broken.json", """
        { "name": "Broken", "tasks": [ {"id": "fail", "title": "Fail", "assigned_to": "broken", "instructions": "x"} ] }
        """);
    CliHarness.Result first = cli.run("run", f.toString());
    assertThat(first.code()).as(first.toString()).isEqualTo(1);
    assertThat(first.out()).contains("fail: FAILED");
    CliHarness.Result resumed = cli.run("resume", "fail");
    assertThat(resumed.code()).as(resumed.toString()).isEqualTo(1);
    assertThat(resumed.out()).contains("fail: started on broken (attempt 2)");
    assertThat(cli.run("logs", "fail").out()).contains("Attempt 2:");
    assertThat(cli.run(BLOG).code()).isZero();
    CliHarness.Result notResumable = cli.run("resume", "research");
    assertThat(notResumable.code()).isEqualTo(5);
    assertThat(notResumable.err()).contains("only a FAILED or CANCELLED task can be resumed");
  }

  @Test
  void answerAQuestionFromAnotherInvocation() throws Exception {
    Path f = workflow("ask.json", """
        { "name": "Ask", "tasks": [ {"id": "ask", "title": "Ask", "assigned_to": "claude",
          "question": "Which tone?", "instructions": "Write in this tone: {{input}}"} ] }
        """);
    CountDownLatch asked = new CountDownLatch(1);
    StringWriter out = new LatchWriter("orchestrator answer", asked);
    CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(() -> cli.run(out, "run", f.toString()));
    assertThat(asked.await(30, TimeUnit.SECONDS)).as(out.toString()).isTrue();
    Matcher m = Pattern.compile("orchestrator answer (q-[0-9a-f-]+)").matcher(out.toString());
    assertThat(m.find()).isTrue();
    assertThat(cli.run("status").out()).contains("Question from task ask: Which tone?");

    CliHarness.Result answer = cli.run("answer", m.group(1), "playful");
    assertThat(answer.code()).as(answer.toString()).isZero();
    assertThat(answer.out()).contains("Answered " + m.group(1), "goes on in engine run@");
    CliHarness.Result done = run.get(30, TimeUnit.SECONDS);
    assertThat(done.code()).as(done.toString()).isZero();
    assertThat(cli.run("answer", m.group(1), "again").code()).isEqualTo(5);
  }

  @Test
  void workerOnceWithNothingToDo() {
    CliHarness.Result r = cli.run("worker", "--once", "--store", "embedded");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("claimed with leases", "Executed 0 run(s)");
  }

  @Test
  void schedulesAreAddedListedPausedResumedAndRemoved() {
    CliHarness.Result add = cli.run("schedule", "add", "daily-post", "blog_post_pipeline", "--cron", "0 9 * * *",
        "--zone", "Europe/Paris", "--param", "topic=tides", "--param", "seo_keywords=sea,moon");
    assertThat(add.code()).as(add.toString()).isZero();
    assertThat(add.out()).contains("Schedule daily-post added", "Europe/Paris", "next fire");
    CliHarness.Result list = cli.run("schedule", "list");
    assertThat(list.out()).as(list.toString()).contains("daily-post", "Blog Post Pipeline", "active");
    assertThat(cli.run("schedule", "pause", "daily-post").out()).contains("Schedule daily-post paused");
    assertThat(cli.run("schedule", "list").out()).contains("paused");
    assertThat(cli.run("schedule", "resume", "daily-post").out()).contains("resumed");
    assertThat(cli.run("schedule", "add", "daily-post", "blog_post_pipeline", "--cron", "0 9 * * *",
        "--param", "topic=x", "--param", "seo_keywords=y").code()).isEqualTo(5);
    CliHarness.Result bad = cli.run("schedule", "add", "bad", "blog_post_pipeline", "--cron", "61 * * * *",
        "--param", "topic=x", "--param", "seo_keywords=y");
    // A cron that does not parse is bad usage (2), not a refusal in the current state (5).
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("61");
    assertThat(cli.run("schedule", "add", "past", "blog_post_pipeline", "--at", "2020-01-01T00:00:00Z",
        "--param", "topic=x", "--param", "seo_keywords=y").code()).isEqualTo(2);
    assertThat(cli.run("schedule", "remove", "daily-post").out()).contains("removed");
    assertThat(cli.run("schedule", "remove", "daily-post").code()).isEqualTo(3);
    assertThat(cli.run("schedule", "list").out()).contains("has no schedule");
  }

  @Test
  void cronEdgeCasesAreRefusedWithTheFixAndNothingIsSaved() {
    String[] params = {"--param", "topic=x", "--param", "seo_keywords=y"};
    CliHarness.Result never = cli.run(concat(new String[] {"schedule", "add", "feb31w", "blog_post_pipeline",
        "--cron", "0 0 12 31W 2 ?"}, params));
    assertThat(never.code()).as(never.toString()).isEqualTo(2);
    assertThat(never.err()).contains("never fires", "February");
    CliHarness.Result wrap = cli.run(concat(new String[] {"schedule", "add", "night", "blog_post_pipeline",
        "--cron", "0 22-2 * * *"}, params));
    assertThat(wrap.code()).as(wrap.toString()).isEqualTo(2);
    assertThat(wrap.err()).contains("hour range '22-2' runs backwards", "22-23,0-2");
    CliHarness.Result sixth = cli.run(concat(new String[] {"schedule", "add", "sixth", "blog_post_pipeline",
        "--cron", "0 0 9 ? * MON#6"}, params));
    assertThat(sixth.code()).as(sixth.toString()).isEqualTo(2);
    assertThat(sixth.err()).contains("'#'");
    assertThat(cli.run("schedule", "list").out()).contains("has no schedule");

    CliHarness.Result daily = cli.run(concat(new String[] {"schedule", "add", "daily", "blog_post_pipeline",
        "--cron", "@daily"}, params));
    assertThat(daily.code()).as(daily.toString()).isZero();
    assertThat(daily.out()).contains("cron \"0 0 * * *\"");
    CliHarness.Result quartzWrap = cli.run(concat(new String[] {"schedule", "add", "late", "blog_post_pipeline",
        "--cron", "0 0 22-2 * * ?"}, params));
    assertThat(quartzWrap.code()).as(quartzWrap.toString()).isZero();
  }

  @Test
  void aStoredScheduleThatCannotFireIsListedWithItsReasonBesideTheOthers() {
    assertThat(cli.run("schedule", "add", "good", "blog_post_pipeline", "--cron", "0 9 * * *", "--param", "topic=x",
        "--param", "seo_keywords=y").code()).isZero();
    // As an older version could have saved it: classic cron has no wrap-around ranges.
    try (dev.orchestrator.store.jdbc.JdbcStore store =
        dev.orchestrator.store.jdbc.JdbcStore.embedded(cli.dataDir.resolve("store"))) {
      var good = store.find("good").orElseThrow();
      store.save(good.toBuilder().id("broken").trigger(dev.orchestrator.schedule.Trigger.cron("0 22-2 * * *"))
          .paused(false).build());
    }
    CliHarness.Result list = cli.run("schedule", "list");
    assertThat(list.code()).as(list.toString()).isZero();
    assertThat(list.out()).containsPattern("good .* active +20\\d\\d-")
        .containsPattern("broken .* cannot fire \\(see below\\)")
        .contains("Schedule broken cannot fire: cron expression '0 22-2 * * *' is not valid UNIX cron",
            "remove the schedule and add it again");
    CliHarness.Result json = cli.run("schedule", "list", "--json");
    assertThat(json.out()).contains("\"problem\" : \"cron expression '0 22-2 * * *'", "\"problem\" : null");
    assertThat(cli.run("schedule", "remove", "broken").code()).isZero();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void theTasksScheduleAndRepeatGiveTheTriggerWhenNoOptionDoes() throws IOException {
    Path daily = workflow("daily.json", """
        {"name": "Daily report", "tasks": [
          {"id": 10, "title": "Daily report generation", "schedule": "0 9 * * *", "repeat": true},
          {"id": 11, "title": "Send it", "depends_on": [10]}]}""");
    CliHarness.Result add = cli.run("schedule", "add", "daily", daily.toString(), "--zone", "Europe/Paris", "--json");
    assertThat(add.code()).as(add.toString()).isZero();
    assertThat(add.out()).contains("\"trigger\" : \"cron \\\"0 9 * * *\\\"\"", "\"workflow\" : \"Daily report\"");

    Path once = workflow("once.json", """
        {"name": "Backup", "tasks": [{"id": 1, "schedule": "@weekly"}]}""");
    CliHarness.Result one = cli.run("schedule", "add", "backup", once.toString());
    assertThat(one.code()).as(one.toString()).isZero();
    assertThat(one.out()).contains("cron \"0 0 * * 0\" once");

    Path disagree = workflow("two.json", """
        {"name": "Two", "tasks": [{"id": 1, "schedule": "0 9 * * *"}, {"id": 2, "schedule": "0 10 * * *"}]}""");
    CliHarness.Result two = cli.run("schedule", "add", "two", disagree.toString());
    assertThat(two.code()).isEqualTo(2);
    assertThat(two.err()).contains("different schedules", "0 9 * * *", "0 10 * * *", "--cron");
    CliHarness.Result none = cli.run("schedule", "add", "none", "blog_post_pipeline", "--param", "topic=x",
        "--param", "seo_keywords=y");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("has no task with a \"schedule\"");
    assertThat(cli.run("schedule", "list").out()).contains("daily", "backup").doesNotContain("two ", "none ");

    CliHarness.Result now = cli.run("run", once.toString());
    assertThat(now.code()).as(now.toString()).isZero();
    assertThat(now.err()).contains("task(s) [1] carry a \"schedule\"", "orchestrator schedule add <id> ");
  }

  @Test
  void runClusterQueuesTheRunForAWorkerWhichFinishesIt() throws Exception {
    CliHarness.Result r = cli.run("run", "--cluster", "blog_post_pipeline", "--param", "topic=tides",
        "--param", "seo_keywords=sea,moon", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    String runId = JSON.readTree(r.out()).get("runId").asText();
    JsonNode queued = JSON.readTree(cli.run("status", runId, "--json").out());
    assertThat(queued.get("executing").asBoolean()).isFalse();
    assertThat(cli.run("status", runId).out()).contains("RUNNING (orphaned)", "orchestrator worker");

    CliHarness.Result worker = cli.run("worker", "--once");
    assertThat(worker.code()).as(worker.toString()).isZero();
    assertThat(worker.out()).contains("Adopted run " + runId + " (Blog Post Pipeline)",
        "Run " + runId + " finished: SUCCEEDED", "Executed 1 run(s)");
    CliHarness.Result status = cli.run("status", runId);
    assertThat(status.out()).as(status.toString()).contains("SUCCEEDED").doesNotContain("Executed by engine");
  }

  @Test
  void runClusterWaitFollowsTheRunUntilAWorkerFinishesIt() throws Exception {
    CountDownLatch queued = new CountDownLatch(1);
    StringWriter out = new LatchWriter("queued in project", queued);
    CompletableFuture<CliHarness.Result> waiting = CompletableFuture.supplyAsync(() -> cli.run(out, "run",
        "--cluster", "--wait", "blog_post_pipeline", "--param", "topic=tides", "--param", "seo_keywords=sea"));
    assertThat(queued.await(30, TimeUnit.SECONDS)).as(out.toString()).isTrue();
    assertThat(cli.run("worker", "--once").code()).isZero();
    CliHarness.Result done = waiting.get(30, TimeUnit.SECONDS);
    assertThat(done.code()).as(done.toString()).isZero();
    assertThat(done.out()).contains("research: started on gemini", "publish: succeeded on chatgpt",
        "Overall: SUCCEEDED, 6/6 tasks done");

    assertThat(cli.run("run", "--wait", "blog_post_pipeline").code()).isEqualTo(2);
    assertThat(cli.run("run", "--cluster", "--detach", "blog_post_pipeline").code()).isEqualTo(2);
  }

  @Test
  void cancellingARunNoEngineHoldsTakesItOverHere() throws Exception {
    Path f = workflow("slow.json", """
        { "name": "Slow", "tasks": [
          {"id": "first", "title": "First", "assigned_to": "claude", "instructions": "x"},
          {"id": "wait", "title": "Wait", "assigned_to": "slow", "instructions": "wait"} ] }
        """);
    String whole = JSON.readTree(cli.run("run", "--cluster", f.toString(), "--json").out()).get("runId").asText();
    CliHarness.Result cancel = cli.run("cancel", whole);
    assertThat(cancel.code()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).contains("Cancelled run " + whole + ".");
    assertThat(JSON.readTree(cli.run("status", whole, "--json").out()).at("/run/status").asText())
        .isEqualTo("CANCELLED");

    // Cancelling one task of a queued run: this process takes the run over and executes the rest of it.
    String part = JSON.readTree(cli.run("run", "--cluster", f.toString(), "--json").out()).get("runId").asText();
    CliHarness.Result task = cli.run("cancel", part + ":wait");
    assertThat(task.code()).as(task.toString()).isEqualTo(1);
    assertThat(task.out()).contains("Cancelled task wait of run " + part, "first: succeeded on claude",
        "Run " + part + " CANCELLED");
  }

  /** Counts down when the output contains a text: lets a test wait for a run to reach a point, without sleeping. */
  static final class LatchWriter extends StringWriter {
    private final String text;
    private final CountDownLatch latch;

    LatchWriter(String text, CountDownLatch latch) {
      this.text = text;
      this.latch = latch;
    }

    @Override
    public synchronized void write(String s, int off, int len) {
      super.write(s, off, len);
      if (getBuffer().indexOf(text) >= 0) {
        latch.countDown();
      }
    }

    @Override
    public synchronized void write(char[] c, int off, int len) {
      super.write(c, off, len);
      if (getBuffer().indexOf(text) >= 0) {
        latch.countDown();
      }
    }

    @Override
    public synchronized String toString() {
      return super.toString();
    }
  }
}
