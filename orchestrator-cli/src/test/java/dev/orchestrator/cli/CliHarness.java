package dev.orchestrator.cli;

import dev.orchestrator.cli.internal.Stores;
import dev.orchestrator.spi.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs command lines in this process against one data directory, as a user would in a terminal: each invocation
 * gets its own context, the store is the real embedded one (opened once and shared, to keep the suite fast), no
 * API key is set, and the simulator is fast.
 */
final class CliHarness implements AutoCloseable {
  /** The test configuration: the default instances, fast simulation, a slow and a failing command-line agent. */
  static final String CONFIG = """
      {
        "providers": {
          "claude":  { "type": "anthropic", "model": "claude-sonnet-4-5" },
          "chatgpt": { "type": "openai",    "model": "gpt-4o-mini" },
          "gemini":  { "type": "gemini",    "model": "gemini-2.5-flash" },
          "slow":    { "type": "cli", "command": "tail -f /dev/null" },
          "broken":  { "type": "cli", "command": "false" }
        },
        "defaultProvider": "chatgpt",
        "simulateMissingKeys": true,
        "simulator": { "latency": "5ms", "tokensPerSecond": "1000000" },
        "timeZone": "UTC",
        "policies": { "maxConcurrentCalls": 4, "retry": { "maxAttempts": 1 } }
      }
      """;

  final Path dataDir;
  final Map<String, String> env = new HashMap<>();
  private final Map<String, Store> stores = new HashMap<>();

  CliHarness(Path dataDir) throws IOException {
    this.dataDir = dataDir;
    Files.createDirectories(dataDir);
    Files.writeString(dataDir.resolve("config.json"), CONFIG);
  }

  /** What one invocation printed and returned. */
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  Result run(String... args) {
    return run(new StringWriter(), args);
  }

  /** Runs with stdout going to {@code out} as it is printed (to watch a run in progress). */
  Result run(Writer out, String... args) {
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--data-dir", dataDir.toString()));
    all.addAll(List.of(args));
    PrintWriter o = new PrintWriter(out, true);
    int code = Main.execute(all.toArray(String[]::new), o, new PrintWriter(err, true), env::get, this::open, false);
    o.flush();
    return new Result(code, out.toString(), err.toString());
  }

  private synchronized Store open(String location, String user, String password) {
    Store s = stores.computeIfAbsent(location, l -> Stores.open(l, user, password));
    if (s instanceof dev.orchestrator.spi.store.ClaimStore || s instanceof dev.orchestrator.spi.store.ScheduleStore) {
      // Keeps what the store can do (claims for workers), with close() left to the harness.
      return (Store) java.lang.reflect.Proxy.newProxyInstance(Store.class.getClassLoader(),
          s.getClass().getInterfaces(), (proxy, method, args) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
              return null;
            }
            try {
              return method.invoke(s, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
    return new Unclosed(s);
  }

  @Override
  public synchronized void close() {
    stores.values().forEach(Store::close);
  }

  /** The shared store as one invocation sees it: closing it leaves it open for the next. */
  private static final class Unclosed implements Store {
    private final Store s;

    Unclosed(Store s) {
      this.s = s;
    }

    // @formatter:off
    @Override public void createRun(dev.orchestrator.run.RunRecord r, String d, List<dev.orchestrator.run.TaskRecord> t) { s.createRun(r, d, t); }
    @Override public java.util.Optional<String> definition(String p, String r) { return s.definition(p, r); }
    @Override public void updateRun(dev.orchestrator.run.RunRecord r) { s.updateRun(r); }
    @Override public void updateTask(dev.orchestrator.run.TaskRecord t) { s.updateTask(t); }
    @Override public java.util.Optional<dev.orchestrator.run.RunRecord> run(String p, String r) { return s.run(p, r); }
    @Override public List<dev.orchestrator.run.RunRecord> runs(String p) { return s.runs(p); }
    @Override public List<dev.orchestrator.run.RunRecord> unfinishedRuns() { return s.unfinishedRuns(); }
    @Override public List<dev.orchestrator.run.TaskRecord> tasks(String p, String r) { return s.tasks(p, r); }
    @Override public java.util.Optional<dev.orchestrator.run.TaskRecord> task(String p, String r, String t) { return s.task(p, r, t); }
    @Override public void append(dev.orchestrator.event.Event e) { s.append(e); }
    @Override public List<dev.orchestrator.event.Event> events(String p, String r) { return s.events(p, r); }
    @Override public List<dev.orchestrator.spi.store.StoredEvent> eventsAfter(long q, int m) { return s.eventsAfter(q, m); }
    @Override public long lastEventSequence() { return s.lastEventSequence(); }
    @Override public void createProject(dev.orchestrator.project.Project p) { s.createProject(p); }
    @Override public java.util.Optional<dev.orchestrator.project.Project> project(String n) { return s.project(n); }
    @Override public void updateProject(dev.orchestrator.project.Project p) { s.updateProject(p); }
    @Override public List<dev.orchestrator.project.Project> projectList(boolean a) { return s.projectList(a); }
    @Override public void saveBudget(dev.orchestrator.budget.Budget b) { s.saveBudget(b); }
    @Override public boolean deleteBudget(dev.orchestrator.budget.BudgetScope sc) { return s.deleteBudget(sc); }
    @Override public List<dev.orchestrator.budget.Budget> budgets() { return s.budgets(); }
    @Override public void submitCommand(dev.orchestrator.spi.store.Command c) { s.submitCommand(c); }
    @Override public List<dev.orchestrator.spi.store.Command> takeCommands() { return s.takeCommands(); }
    @Override public boolean durable() { return s.durable(); }
    @Override public void close() { }
    // @formatter:on
  }
}
