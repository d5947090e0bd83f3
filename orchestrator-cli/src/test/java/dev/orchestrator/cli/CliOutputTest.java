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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Names are checked (projects, archived projects, your own templates, the data directory) and output is readable
 * (money, tables, JSON, one-line errors with their documented exit codes), through the real command line.
 */
class CliOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] PARAMS = {"--param", "topic=Tides", "--param", "seo_keywords=tide,moon"};

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

  private static String[] args(String... parts) {
    return parts;
  }

  private static String[] with(String[] a, String... more) {
    return Stream.concat(Stream.of(a), Stream.of(more)).toArray(String[]::new);
  }

  private static void oneLineError(CliHarness.Result r, int code, String... contains) {
    assertThat(r.code()).as(r.toString()).isEqualTo(code);
    assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
    assertThat(r.err()).as(r.toString()).startsWith("orchestrator: ").contains(contains).doesNotContain("\tat ",
        "Exception", "[project=");
  }

  // ------------------------------------------------------------------------------------------------ names

  static Stream<Arguments> commandsInAProject() {
    return Stream.of(
        Arguments.of((Object) args("status")),
        Arguments.of((Object) args("logs")),
        Arguments.of((Object) with(args("run", "blog_post_pipeline"), PARAMS)),
        Arguments.of((Object) with(args("dry-run", "blog_post_pipeline"), PARAMS)),
        Arguments.of((Object) args("budget", "set", "--limit", "5")),
        Arguments.of((Object) args("budget", "report")),
        Arguments.of((Object) args("schedule", "list")),
        Arguments.of((Object) with(args("schedule", "add", "s", "blog_post_pipeline", "--cron", "0 9 * * *"),
            PARAMS)),
        Arguments.of((Object) args("cancel", "research")),
        Arguments.of((Object) args("priority", "research", "high")),
        Arguments.of((Object) args("notifications")),
        Arguments.of((Object) args("project", "show", "quantm-self")));
  }

  @ParameterizedTest
  @MethodSource("commandsInAProject")
  void anUnknownProjectIsRefusedWithTheClosestName(String[] command) {
    assertThat(cli.run("project", "create", "quantum-self").code()).isZero();
    CliHarness.Result r = cli.run(with(args("--project", "quantm-self"), command));
    oneLineError(r, 3, "there is no project 'quantm-self' (did you mean 'quantum-self'?)",
        "orchestrator project create");
    // Nothing was created by the typo.
    assertThat(cli.run("project", "list", "--all").out()).doesNotContain("quantm-self");
  }

  @Test
  void theDefaultProjectExistsOnAFreshDataDirectory() throws IOException {
    CliHarness.Result run = cli.run(with(args("run", "blog_post_pipeline"), PARAMS));
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(cli.run("project", "list").out()).contains("*  default");
    assertThat(cli.run("project", "show").out()).contains("Project default (current)", "Runs: 1");
  }

  static Stream<Arguments> writingCommands() {
    return Stream.of(
        Arguments.of((Object) with(args("run", "blog_post_pipeline"), PARAMS)),
        Arguments.of((Object) with(args("template", "run", "blog_post_pipeline"), PARAMS)),
        Arguments.of((Object) args("budget", "set", "--limit", "5")),
        Arguments.of((Object) with(args("schedule", "add", "s", "blog_post_pipeline", "--cron", "0 9 * * *"),
            PARAMS)),
        Arguments.of((Object) args("schedule", "remove", "s")),
        Arguments.of((Object) args("cancel", "research")),
        Arguments.of((Object) args("priority", "research", "high")),
        Arguments.of((Object) args("resume", "research")));
  }

  @ParameterizedTest
  @MethodSource("writingCommands")
  void anArchivedProjectIsReadOnly(String[] command) {
    assertThat(cli.run("project", "create", "old").code()).isZero();
    assertThat(cli.run("project", "archive", "old").code()).isZero();
    CliHarness.Result r = cli.run(with(args("--project", "old"), command));
    oneLineError(r, 5, "project 'old' is archived and read-only", "orchestrator project restore");
  }

  @Test
  void anArchivedProjectCanStillBeRead() {
    assertThat(cli.run("project", "create", "old").code()).isZero();
    assertThat(cli.run("--project", "old", "budget", "set", "--limit", "5").code()).isZero();
    assertThat(cli.run("project", "archive", "old").code()).isZero();
    for (String[] read : List.of(args("status"), args("budget", "report"), args("schedule", "list"),
        with(args("dry-run", "blog_post_pipeline"), PARAMS), args("project", "show", "old"))) {
      CliHarness.Result r = cli.run(with(args("--project", "old"), read));
      assertThat(r.code()).as(String.join(" ", read) + "\n" + r).isIn(0, 1);
      assertThat(r.err()).as(String.join(" ", read)).isEmpty();
    }
    assertThat(cli.run("--project", "old", "budget", "report").out()).contains("Remaining: $5.00");
  }

  @Test
  void aBrokenTemplateOfYourOwnIsReportedWithItsProblem() throws IOException {
    Path dir = Files.createDirectories(cli.dataDir.resolve("templates"));
    Files.writeString(dir.resolve("mine.json"), """
        {"name": "Mine", "tasks": [{"id": "a", "title": "A", "depends_on": ["zz"]}]}""");
    Files.write(dir.resolve("latin.json"), "{\"name\": \"Caf\u00e9\", \"tasks\": []}".getBytes(
        java.nio.charset.StandardCharsets.ISO_8859_1));
    CliHarness.Result list = cli.run("template", "list");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("Not loaded (2)", "mine.json: task 'a' depends on unknown task 'zz'",
        "latin.json: not UTF-8 text");
    CliHarness.Result listJson = cli.run("template", "list", "--json");
    assertThat(JSON.readTree(listJson.out()).isArray()).isTrue();
    assertThat(listJson.err()).contains("mine.json");

    oneLineError(cli.run("template", "show", "mine"), 2, "your template 'mine'", "mine.json",
        "depends on unknown task 'zz'");
    oneLineError(cli.run("run", "mine"), 2, "your template 'mine'", "unknown task 'zz'");
    oneLineError(cli.run("run", "latin"), 2, "latin.json", "not UTF-8 text");
    oneLineError(cli.run("run", dir.resolve("latin.json").toString()), 2, "latin.json is not UTF-8 text");
    oneLineError(cli.run("template", "show", "nope"), 3, "nope");
  }

  @Test
  void aNewDataDirectoryIsAnnouncedOnceOnStderr() throws IOException {
    Path fresh = temp.resolve("typo");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new String[] {"--data-dir", fresh.toString(), "status", "--json"},
        new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), cli.env::get,
        dev.orchestrator.cli.internal.Stores::open, false);
    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).isEqualTo("Created data directory " + fresh.toAbsolutePath() + "\n");
    assertThat(JSON.readTree(out.toString()).path("project").asText()).isEqualTo("default");
    StringWriter again = new StringWriter();
    Main.execute(new String[] {"--data-dir", fresh.toString(), "status"}, new java.io.PrintWriter(out, true),
        new java.io.PrintWriter(again, true), cli.env::get, dev.orchestrator.cli.internal.Stores::open, false);
    assertThat(again.toString()).isEmpty();
  }

  // ------------------------------------------------------------------------------------------------ output

  @Test
  void projectCreateFromAProjectTemplate() throws IOException {
    CliHarness.Result r = cli.run("project", "create", "content-site", "--template", "content_team", "--switch");
    assertThat(r.code()).as(r.toString()).isZero();
    Golden.assertMatches("project-create-template.txt", r.out(), temp);
    assertThat(cli.run("budget", "report").out()).contains("Remaining: $100.00");
    oneLineError(cli.run("project", "create", "x", "--template", "content_tem"), 3,
        "no project template 'content_tem' (did you mean 'content_team'?)");
    CliHarness.Result json = cli.run("project", "show", "--json");
    assertThat(json.out()).doesNotContain("\"zero\"", "\"negative\"");
  }

  @Test
  void jsonCarriesNoInternalFields() throws IOException {
    assertThat(cli.run(with(args("run", "blog_post_pipeline"), PARAMS)).code()).isZero();
    for (String[] command : List.of(args("status", "--json"), args("budget", "report", "--json"),
        args("project", "list", "--json"), args("project", "show", "--json"),
        with(args("dry-run", "blog_post_pipeline", "--json"), PARAMS), args("logs", "--json"))) {
      CliHarness.Result r = cli.run(command);
      assertThat(r.code()).as(r.toString()).isZero();
      JsonNode n = JSON.readTree(r.out());
      assertThat(n.findValues("zero")).as(String.join(" ", command)).isEmpty();
      assertThat(n.findValues("negative")).as(String.join(" ", command)).isEmpty();
      assertThat(n.findValues("currency")).as(String.join(" ", command)).isNotEmpty();
    }
  }

  @Test
  void statusJsonListsTheOpenQuestions() throws Exception {
    Path f = temp.resolve("ask.json");
    Files.writeString(f, """
        { "name": "Ask", "tasks": [ {"id": "ask", "title": "Ask", "assigned_to": "claude",
          "question": "Which tone?", "instructions": "Write in this tone: {{input}}"} ] }
        """);
    CountDownLatch asked = new CountDownLatch(1);
    StringWriter out = new CommandsTest.LatchWriter("orchestrator answer", asked);
    CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(() -> cli.run(out, "run", f.toString()));
    assertThat(asked.await(30, TimeUnit.SECONDS)).as(out.toString()).isTrue();
    CliHarness.Result status = cli.run("status", "--json");
    JsonNode q = JSON.readTree(status.out()).path("questions");
    assertThat(q.size()).as(status.out()).isEqualTo(1);
    assertThat(q.get(0).path("task").asText()).isEqualTo("ask");
    assertThat(q.get(0).path("question").path("text").asText()).isEqualTo("Which tone?");
    String id = q.get(0).path("id").asText();
    String runId = q.get(0).path("run").asText();
    assertThat(JSON.readTree(cli.run("status", runId, "--json").out()).path("questions").get(0).path("id").asText())
        .isEqualTo(id);
    Golden.assertMatches("status-questions.json", status.out(), temp);
    assertThat(cli.run("answer", id, "playful").code()).isZero();
    assertThat(run.get(30, TimeUnit.SECONDS).code()).isZero();
    assertThat(JSON.readTree(cli.run("status", "--json").out()).path("questions").size()).isZero();
  }

  @Test
  void templateListProvidersAndAFinishedRunsStatusGoldens() {
    CliHarness.Result templates = cli.run("template", "list");
    assertThat(templates.code()).as(templates.toString()).isZero();
    Golden.assertMatches("template-list.txt", templates.out(), temp);
    Golden.assertMatches("providers.txt", cli.run("providers").out(), temp);
    Golden.assertMatches("providers.json", cli.run("providers", "--json").out(), temp);
    CliHarness.Result run = cli.run(with(args("run", "blog_post_pipeline", "--json"), PARAMS));
    assertThat(run.code()).as(run.toString()).isZero();
    CliHarness.Result status = cli.run("status", "--json");
    String runId = status.out().replaceAll("(?s).*?\"id\" : \"([0-9a-f-]{36})\".*", "$1");
    Golden.assertMatches("status-run.json", cli.run("status", runId, "--json").out(), temp);
  }

  @Test
  void dryRunJsonGolden() {
    CliHarness.Result r = cli.run(with(args("dry-run", "blog_post_pipeline", "--json"), PARAMS));
    assertThat(r.code()).as(r.toString()).isZero();
    Golden.assertMatches("dry-run.json", r.out(), temp);
  }

  @Test
  void scheduleListLinesUpWithALongId() {
    String longId = "a-very-long-schedule-id-that-is-wider-than-any-fixed-column";
    assertThat(cli.run(with(args("schedule", "add", longId, "blog_post_pipeline", "--at", "2099-01-02T09:00:00Z"),
        PARAMS)).code()).isZero();
    assertThat(cli.run(with(args("schedule", "add", "short", "blog_post_pipeline", "--at", "2099-01-02 10:00",
        "--zone", "Europe/Paris"), PARAMS)).code()).isZero();
    CliHarness.Result list = cli.run("schedule", "list");
    Golden.assertMatches("schedule-list.txt", list.out(), temp);
    List<String> lines = list.out().lines().toList();
    int workflowAt = lines.get(0).indexOf("WORKFLOW");
    assertThat(lines).allSatisfy(l -> assertThat(l.substring(workflowAt)).doesNotStartWith(" "));
  }

  @Test
  void templateValidate() throws IOException {
    Path good = temp.resolve("good.json");
    Files.writeString(good, "{\"name\": \"Good\", \"tasks\": [{\"id\": \"a\", \"title\": \"A\"}]}");
    Path bad = temp.resolve("bad.json");
    Files.writeString(bad, """
        {"name": "Bad", "tasks": [{"id": "a", "title": "A", "depends_on": ["zz"]},
          {"id": "a", "title": "again"}]}""");
    CliHarness.Result ok = cli.run("template", "validate", good.toString());
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).isEqualTo(good + ": OK, a valid workflow template (good).\n");
    CliHarness.Result problems = cli.run("template", "validate", bad.toString());
    assertThat(problems.code()).isEqualTo(1);
    Golden.assertMatches("template-validate-bad.txt", problems.out(), temp);
    assertThat(problems.out().lines().filter(l -> l.startsWith(bad + ": ")).count()).isGreaterThanOrEqualTo(2);
    assertThat(cli.run("template", "validate", temp.resolve("none.json").toString()).code()).isEqualTo(3);

    // A schedule's fields are checked as adding it would: reading the template checks only their shape.
    Path scheduled = temp.resolve("scheduled.json");
    Files.writeString(scheduled, """
        {"name": "Scheduled", "tasks": [{"id": "feb", "schedule": "0 0 12 31W 2 ?"},
          {"id": "night", "schedule": "0 22-2 * * *"}, {"id": "ok", "schedule": "0 0 22-2 * * ?"}]}""");
    CliHarness.Result schedules = cli.run("template", "validate", scheduled.toString());
    assertThat(schedules.code()).as(schedules.toString()).isEqualTo(1);
    assertThat(schedules.out()).contains(
        scheduled + ": task 'feb': schedule: cron expression '0 0 12 31W 2 ?' never fires after",
        scheduled + ": task 'night': schedule: cron expression '0 22-2 * * *' is not valid UNIX cron: the hour range",
        "2 problem(s)").doesNotContain("task 'ok'");
  }

  static Stream<Arguments> errors() {
    String longName = "n".repeat(5000);
    return Stream.of(
        Arguments.of(with(args("schedule", "add", "s", "blog_post_pipeline", "--at", "tomorrow"), PARAMS), 2,
            List.of("--at 'tomorrow' is not a time", "2026-12-01T09:00:00Z", "2026-12-01 09:00")),
        Arguments.of(with(args("schedule", "add", "s", "blog_post_pipeline", "--cron", "61 * * * *"), PARAMS), 2,
            List.of("61")),
        Arguments.of(args("priority", "research", "urgent"), 2, List.of("'urgent' is not a priority")),
        Arguments.of(args("--project", longName, "status"), 3,
            List.of("n".repeat(80) + "\u2026 (5000 characters)")),
        Arguments.of(args("project", "create", longName), 2, List.of("\u2026 (5000 characters)")),
        Arguments.of(args("status", "ffff0000"), 3, List.of("there is no run 'ffff0000'")),
        // Any message that quotes a pasted value shows its start and length, whichever part of the system made it.
        Arguments.of(args("status", longName), 3, List.of("there is no run '" + "n".repeat(80)
            + "\u2026 (5000 characters)'")),
        Arguments.of(args("budget", "set", "--ai", longName, "--daily-limit", "5"), 3,
            List.of("\u2026 (5000 characters)")),
        Arguments.of(args("schedule", "remove", longName), 3, List.of("\u2026 (5000 characters)")),
        Arguments.of(args("--" + longName, "status"), 2, List.of("Unknown option", "\u2026 (5002 characters)")));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void everyErrorIsOneLineWithItsExitCode(String[] command, int code, List<String> contains) {
    CliHarness.Result r = cli.run(command);
    if (code == 2 && r.err().contains("Unknown option")) {
      // picocli's usage errors add a hint line.
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err().lines().findFirst().orElseThrow()).contains(contains);
      return;
    }
    oneLineError(r, code, contains.toArray(String[]::new));
    assertThat(r.err().length()).as(r.err()).isLessThan(600);
  }

  @Test
  void aConfigValueThatIsNotANumberNamesItsKeyPath() throws IOException {
    Files.writeString(cli.dataDir.resolve("config.json"), CliHarness.CONFIG.replace("\"maxAttempts\": 1",
        "\"maxAttempts\": \"many\""));
    oneLineError(cli.run("providers"), 4, "policies.retry.maxAttempts: \"many\" is not a whole number");
  }

  @Test
  void priorityAndMarkFailedReachTheEngineOfAnotherInvocation() throws Exception {
    Path f = temp.resolve("slow.json");
    Files.writeString(f, """
        { "name": "Slow", "tasks": [
          {"id": "wait", "title": "Wait", "assigned_to": "slow", "instructions": "wait"},
          {"id": "after", "title": "After", "assigned_to": "claude", "depends_on": ["wait"], "instructions": "x"} ] }
        """);
    CountDownLatch started = new CountDownLatch(1);
    StringWriter out = new CommandsTest.LatchWriter("wait: started", started);
    CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(() -> cli.run(out, "run", f.toString()));
    assertThat(started.await(30, TimeUnit.SECONDS)).as(out.toString()).isTrue();

    CliHarness.Result priority = cli.run("priority", "after", "high");
    assertThat(priority.code()).as(priority.toString()).isZero();
    assertThat(priority.out()).contains("Task after of run", "now has priority HIGH: engine run@");
    assertThat(cli.run("logs", "after").out()).contains("priority changed from MEDIUM to HIGH");
    oneLineError(cli.run("priority", "wait", "low"), 5, "task wait of run", "is RUNNING");

    CliHarness.Result fail = cli.run("cancel", "wait", "--mark-failed", "--reason", "the draft is unusable");
    assertThat(fail.code()).as(fail.toString()).isZero();
    assertThat(fail.out()).contains("Stopped task wait of run", "and marked it failed: engine run@",
        "Task wait is now FAILED.");
    CliHarness.Result done = run.get(30, TimeUnit.SECONDS);
    assertThat(done.code()).as(done.toString()).isEqualTo(1);
    assertThat(cli.run("status").out()).containsPattern("Slow +FAILED");
    assertThat(cli.run("logs", "wait").out()).contains("marked failed by", "the draft is unusable");
    String runId = JSON.readTree(cli.run("status", "--json").out()).at("/runs/0/run/id").asText();
    oneLineError(cli.run("cancel", runId, "--mark-failed"), 2, "--mark-failed applies to a task");
  }
}
