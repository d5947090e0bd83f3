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
    // The shared store as one invocation sees it, with all it can do (leases, schedules): closing it leaves it open
    // for the next invocation.
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

  @Override
  public synchronized void close() {
    stores.values().forEach(Store::close);
  }
}
