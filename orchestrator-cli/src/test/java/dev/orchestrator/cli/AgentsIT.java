package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.store.jdbc.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command-line agents (the {@code cli} provider) and the person at the terminal, through {@code bin/orchestrator}:
 * a foreground run asks its questions inline; Ctrl-C asks before it cancels, and on N the agent never noticed (it
 * runs in a session of its own); on Y nothing is left running; and the agents of a process killed with SIGKILL are
 * ended by the engine that takes its run over. The agent is a shell script that notes its start and an interrupt in
 * a file and works in a child process; a unique path in its command line finds it.
 */
class AgentsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LIMIT = Duration.ofMinutes(2);

  @TempDir
  Path temp;

  private Path agent;
  private Path agentLog;
  private Launcher launcher;
  private final List<Terminal> terminals = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    agentLog = temp.resolve("agent.log");
    agent = Files.writeString(temp.resolve("agent-under-test.sh"), """
        #!/bin/sh
        echo "start $$" >> "%s"
        trap 'echo "INT $$" >> "%s"; exit 130' INT
        sleep "$1" &
        wait $!
        echo "done $$" >> "%s"
        echo "agent output"
        """.formatted(agentLog, agentLog, agentLog));
    ObjectNode config = (ObjectNode) JSON.readTree(CliHarness.CONFIG);
    ObjectNode providers = (ObjectNode) config.get("providers");
    providers.putObject("quick").put("type", "cli").put("command", "sh " + agent + " 8");
    providers.putObject("long").put("type", "cli").put("command", "sh " + agent + " 300");
    Files.writeString(temp.resolve("config.json"), config.toPrettyString());
    launcher = new Launcher(temp.resolve("data"), temp.resolve("config.json"), temp.resolve("logs"))
        .javaOptions(Launcher.QUICK_JVM);
  }

  @AfterEach
  void tearDown() {
    terminals.forEach(Terminal::close);
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    AgentProcesses.matching(agent.toString()).forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void aForegroundRunAsksItsQuestionInlineAndGoesOnAfterCtrlCAnsweredNo() throws Exception {
    assumeTrue(Terminal.available(), "util-linux script is not installed");
    Path workflow = Files.writeString(temp.resolve("talk.json"), """
        { "name": "Talk", "tasks": [
          {"id": "ask", "title": "Ask", "assigned_to": "claude", "question": "Which tone?",
           "instructions": "Write in this tone: {{input}}"},
          {"id": "work", "title": "Work", "assigned_to": "quick", "depends_on": ["ask"], "instructions": "w"} ] }
        """);
    Terminal t = terminal("run", workflow.toString());
    int at = t.await("Which tone?", 0, LIMIT);
    at = t.await("Your answer: ", at, LIMIT);
    t.type("playful\r");
    at = t.await("Answered q-", at, LIMIT);
    awaitLine(agentLog, "start", LIMIT);

    t.type("\003");
    at = t.await("Cancel run", at, LIMIT);
    t.type("n\r");
    t.await("Going on", at, LIMIT);
    assertThat(t.awaitExit(LIMIT)).as(t.screen()).isZero();
    assertThat(t.screen()).contains("SUCCEEDED", "agent output");
    assertThat(Files.readString(agentLog, StandardCharsets.UTF_8)).contains("done").doesNotContain("INT");
  }

  @Test
  void aQuestionAnsweredElsewhereIsLetGoAndCtrlCAnsweredYesLeavesNoAgent() throws Exception {
    assumeTrue(Terminal.available(), "util-linux script is not installed");
    Path workflow = Files.writeString(temp.resolve("hold.json"), """
        { "name": "Hold", "tasks": [
          {"id": "ask", "title": "Ask", "assigned_to": "claude", "question": "Which tone?",
           "instructions": "Write in this tone: {{input}}"},
          {"id": "hold", "title": "Hold", "assigned_to": "long", "depends_on": ["ask"], "instructions": "h"} ] }
        """);
    Terminal t = terminal("run", workflow.toString());
    int at = t.await("Your answer: ", 0, LIMIT);
    Matcher m = Pattern.compile("orchestrator answer (q-[0-9a-f-]+)").matcher(t.screen());
    assertThat(m.find()).as(t.screen()).isTrue();
    Launcher.Result answer = launcher.run(LIMIT, "answer", m.group(1), "from", "elsewhere");
    assertThat(answer.code()).as(answer.toString()).isZero();
    at = t.await("was answered elsewhere", at, LIMIT);
    awaitLine(agentLog, "start", LIMIT);
    List<ProcessHandle> tree = agentTree();
    assertThat(tree).as("the agent and its child").hasSizeGreaterThanOrEqualTo(2);

    t.type("\003");
    at = t.await("Cancel run", at, LIMIT);
    t.type("y\r");
    assertThat(t.awaitExit(LIMIT)).as(t.screen()).isEqualTo(130);
    assertThat(t.screen()).contains("CANCELLED");
    assertThat(AgentProcesses.awaitExit(tree, Duration.ofSeconds(20))).as("the agent's whole tree ended").isTrue();
    assertThat(AgentProcesses.awaitNone(agent.toString(), Duration.ofSeconds(20))).isTrue();
  }

  @Test
  void theAgentsOfAKilledProcessAreEndedByTheEngineThatTakesItsRunOver() throws Exception {
    Path workflow = Files.writeString(temp.resolve("hold.json"), """
        { "name": "Hold", "tasks": [
          {"id": "hold", "title": "Hold", "assigned_to": "long", "instructions": "h"} ] }
        """);
    Map<String, String> lease = Map.of("ORCHESTRATOR_LEASE", "3s");
    Launcher.Started run = launcher.start(lease, "run", workflow.toString());
    processes.add(run.process());
    awaitLine(agentLog, "start", LIMIT);
    List<ProcessHandle> orphans = agentTree();
    assertThat(orphans).hasSizeGreaterThanOrEqualTo(2);
    JsonNode status = JSON.readTree(launcher.run(LIMIT, "status", "--json").out());
    String runId = status.at("/runs/0/run/id").asText();
    // The agent is recorded just after it started: killed before that, its owner would leave nothing to go by.
    try (JdbcStore store = JdbcStore.embedded(temp.resolve("data").resolve("store"))) {
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (store.agentProcesses("default", runId).isEmpty()) {
        assertThat(System.nanoTime()).as("the agent recorded in time").isLessThan(deadline);
        assertThat(run.process().waitFor(100, TimeUnit.MILLISECONDS)).as("the run's process ended").isFalse();
      }
      assertThat(store.agentProcesses("default", runId)).singleElement()
          .satisfies(a -> assertThat(a.pid()).isEqualTo(orphans.get(0).pid()))
          .satisfies(a -> assertThat(a.owner()).startsWith("run@"));
    }

    run.process().destroyForcibly(); // SIGKILL: no hook runs, the agent is left without its owner
    assertThat(run.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(orphans).as("agents run on after their owner was killed").allMatch(ProcessHandle::isAlive);

    Launcher.Started worker = launcher.start(lease, "worker");
    processes.add(worker.process());
    assertThat(AgentProcesses.awaitExit(orphans, LIMIT)).as("the orphaned agent tree was ended").isTrue();
    awaitLine(agentLog, "start", LIMIT, 2); // the worker calls the agent again
    Launcher.Result cancel = launcher.run(LIMIT, "cancel", runId);
    assertThat(cancel.code()).as(cancel.toString()).isZero();
    assertThat(AgentProcesses.awaitNone(agent.toString(), LIMIT)).as("cancel left no agent").isTrue();

    worker.process().destroy(); // SIGTERM: the worker stops
    assertThat(worker.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(agentLog, StandardCharsets.UTF_8)).doesNotContain("done");
  }

  private Terminal terminal(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Launcher.SCRIPT.toString(), "--data-dir",
        temp.resolve("data").toString(), "--config", temp.resolve("config.json").toString()));
    cmd.addAll(List.of(args));
    Terminal t = Terminal.start(cmd, Map.of("ORCHESTRATOR_JAVA_OPTS", Launcher.QUICK_JVM));
    terminals.add(t);
    return t;
  }

  /** The live agent processes of this test and all their descendants. */
  private List<ProcessHandle> agentTree() {
    List<ProcessHandle> tree = new ArrayList<>();
    for (ProcessHandle p : AgentProcesses.matching(agent.toString())) {
      tree.add(p);
      p.descendants().forEach(tree::add);
    }
    return tree;
  }

  private static void awaitLine(Path file, String text, Duration limit) throws Exception {
    awaitLine(file, text, limit, 1);
  }

  /** Waits until {@code file} holds {@code count} lines containing {@code text}, watching its directory. */
  private static void awaitLine(Path file, String text, Duration limit, int count) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    try (WatchService w = FileSystems.getDefault().newWatchService()) {
      file.getParent().register(w, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      while (true) {
        if (Files.exists(file) && Files.readAllLines(file).stream().filter(l -> l.contains(text)).count() >= count) {
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out after " + limit + " waiting for " + count + " line(s) '" + text
              + "' in " + file);
        }
        WatchKey k = w.poll(left, TimeUnit.NANOSECONDS);
        if (k != null) {
          k.pollEvents();
          k.reset();
        }
      }
    }
  }
}
