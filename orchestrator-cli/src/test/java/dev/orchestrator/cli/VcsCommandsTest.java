package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code project vcs}, a run whose agent changes files, the commits in {@code logs}, and {@code rollback}. */
class VcsCommandsTest {
  @TempDir
  Path temp;

  CliHarness cli;
  Path repo;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(temp.resolve("data"));
    Path agent = temp.resolve("agent.sh");
    // Writes <first word of the prompt>.txt in its working directory.
    Files.writeString(agent, "read word rest\necho \"by $word\" > \"$word.txt\"\necho done\n");
    String config = CliHarness.CONFIG.replace("\"broken\":  { \"type\": \"cli\", \"command\": \"false\" }",
        "\"broken\":  { \"type\": \"cli\", \"command\": \"false\" },\n"
            + "    \"agent\": { \"type\": \"cli\", \"command\": \"sh " + agent + "\" }");
    Files.writeString(cli.dataDir.resolve("config.json"), config);
    repo = temp.resolve("site");
    Files.createDirectories(repo);
    git("init", "-q", "-b", "main");
    git("config", "user.name", "Ann");
    git("config", "user.email", "ann@example.org");
    Files.writeString(repo.resolve("README.md"), "# site\n");
    git("add", ".");
    git("commit", "-qm", "Start");
  }

  @AfterEach
  void tearDown() {
    cli.close();
  }

  private String git(String... args) throws IOException, InterruptedException {
    List<String> argv = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", args) + ": " + out).isZero();
    return out.strip();
  }

  @Test
  void aRunsAgentCommitsItsWorkShowsItInLogsAndRollsBack() throws Exception {
    assertThat(cli.run("project", "create", "site", "--switch").code()).isZero();
    CliHarness.Result set = cli.run("project", "vcs", "site", "--repository", repo.toString());
    assertThat(set.code()).as(set.toString()).isZero();
    assertThat(set.out()).contains("integration: merge");
    assertThat(cli.run("project", "vcs", "site", "--repository", repo.toString(), "--output-file", "x=../up.md")
        .err()).contains("vcs.output.x must stay inside the repository (was '../up.md')");

    Path wf = temp.resolve("wf.json");
    Files.writeString(wf, """
        {"name": "site", "tasks": [
          {"id": "a", "title": "First", "instructions": "alpha", "assigned_to": "agent"},
          {"id": "b", "title": "Second", "instructions": "beta", "assigned_to": "agent", "depends_on": ["a"]}]}
        """);
    CliHarness.Result run = cli.run("run", wf.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    Matcher m = Pattern.compile("Run ([0-9a-f-]{36})").matcher(run.out());
    assertThat(m.find()).isTrue();
    String id = m.group(1);
    assertThat(git("show", "orchestrator/" + id + "/b:alpha.txt")).isEqualTo("by alpha");
    assertThat(git("show", "orchestrator/" + id + "/@run:beta.txt")).isEqualTo("by beta");
    assertThat(git("log", "-1", "--format=%(trailers:key=Orchestrator-Task,valueonly)", "orchestrator/" + id + "/a"))
        .isEqualTo("a");

    CliHarness.Result logs = cli.run("logs", id);
    assertThat(logs.out()).contains("git task commit", "on orchestrator/" + id + "/a", "alpha.txt",
        "git merge commit");

    CliHarness.Result refused = cli.run("rollback", id + ":a");
    assertThat(refused.code()).as(refused.toString()).isEqualTo(5);
    assertThat(refused.err()).contains("later work depends on task a", "b", "--cascade");

    CliHarness.Result undone = cli.run("rollback", id + ":a", "--cascade");
    assertThat(undone.code()).as(undone.toString()).isZero();
    assertThat(undone.out()).contains("Reverted 2 commit(s) of task(s) a, b on orchestrator/" + id + "/@run");
    assertThat(git("rev-parse", "orchestrator/" + id + "/@run^{tree}"))
        .isEqualTo(git("rev-parse", "main^{tree}"));

    CliHarness.Result reset = cli.run("rollback", id);
    assertThat(reset.code()).as(reset.toString()).isZero();
    assertThat(git("rev-parse", "orchestrator/" + id + "/@run")).isEqualTo(git("rev-parse", "main"));
    assertThat(git("status", "--porcelain")).isEmpty();
    assertThat(git("worktree", "list")).doesNotContain("orchestrator-worktrees");
  }
}
