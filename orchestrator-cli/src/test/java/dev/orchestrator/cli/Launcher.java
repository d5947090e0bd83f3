package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the real launcher script, {@code bin/orchestrator}, as child processes on one data directory, the way a
 * user's terminals would: for the tests that need separate processes (they run after {@code package}, as they need
 * the runnable jar). No API key reaches the children.
 */
final class Launcher {
  static final Path SCRIPT = Path.of("..", "bin", "orchestrator").toAbsolutePath().normalize();
  /** JVM options that keep many children starting at once on two cores from being mostly busy compiling. */
  static final String QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
  private static final Pattern DETACHED = Pattern.compile("Run ([0-9a-f-]{36}) started in the background");
  private static final Pattern ENGINE_PID = Pattern.compile(":(\\d+):[0-9a-f]+$");

  private final Path dataDir;
  private final Path config;
  private final Path logs;
  private final AtomicInteger count = new AtomicInteger();
  /** The processes of background runs, found through the engines that hold them: stopped by {@link #stopEngines}. */
  private final Set<Long> engines = ConcurrentHashMap.newKeySet();
  private List<String> prefix = List.of();
  private String javaOptions = "";

  /**
   * @param dataDir the {@code --data-dir} of every command
   * @param config the {@code --config} of every command
   * @param logs where each command's stdout and stderr are kept
   */
  Launcher(Path dataDir, Path config, Path logs) throws IOException {
    this.dataDir = dataDir;
    this.config = config;
    this.logs = Files.createDirectories(logs);
  }

  /** JVM options for the children ({@code ORCHESTRATOR_JAVA_OPTS}). */
  Launcher javaOptions(String options) {
    this.javaOptions = options;
    return this;
  }

  /** A command to start the launcher through (such as {@code setpriv ...}). */
  Launcher through(List<String> command) {
    this.prefix = List.copyOf(command);
    return this;
  }

  /** What one command printed and returned. */
  record Result(String command, int code, String out, String err) {
    @Override
    public String toString() {
      return "orchestrator " + command + ": exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  /** A command that has been started. */
  final class Started {
    private final String command;
    private final Process process;
    private final Path out;
    private final Path err;

    private Started(String command, Process process, Path out, Path err) {
      this.command = command;
      this.process = process;
      this.out = out;
      this.err = err;
    }

    /** The command's process (the JVM: the launcher script replaces itself with it). */
    Process process() {
      return process;
    }

    /** Waits for the command to end, at most {@code limit}; a command still running then is killed and fails. */
    Result await(Duration limit) throws IOException, InterruptedException {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("orchestrator " + command + " did not end within " + limit + "; it printed:\n"
            + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    }
  }

  /** Starts {@code orchestrator --data-dir D --config C args...} and returns at once. */
  Started start(String... args) throws IOException {
    return start(Map.of(), args);
  }

  /** The same with extra environment variables. */
  Started start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(SCRIPT.toString(), "--data-dir", dataDir.toString(), "--config", config.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("OPENAI_API_KEY");
    pb.environment().remove("ANTHROPIC_API_KEY");
    pb.environment().remove("GEMINI_API_KEY");
    pb.environment().remove("ORCHESTRATOR_HOME");
    pb.environment().put("ORCHESTRATOR_JAVA_OPTS", javaOptions);
    pb.environment().putAll(env);
    int n = count.incrementAndGet();
    Path out = logs.resolve(n + "-" + name(args) + ".out");
    Path err = logs.resolve(n + "-" + name(args) + ".err");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    return new Started(String.join(" ", args), pb.start(), out, err);
  }

  /** One look at the state of things, usually through commands; null while what is awaited has not happened. */
  @FunctionalInterface
  interface Probe<T> {
    T look() throws Exception;
  }

  /**
   * Looks again and again (each look runs commands, which paces it) until {@code probe} answers, at most
   * {@code limit}; then fails naming {@code what}.
   */
  <T> T poll(String what, Duration limit, Probe<T> probe) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      T answer = probe.look();
      if (answer != null) {
        return answer;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit + " waiting for " + what);
      }
    }
  }

  /** The command's name, for its log files. */
  private static String name(String... args) {
    return args.length == 0 ? "help" : args[0].replaceAll("[^A-Za-z]", "");
  }

  /** The id of the run that a {@code run --detach} started; fails the test unless it started one. */
  static String detachedRun(Result r) {
    assertThat(r.code()).as(r.toString()).isZero();
    Matcher m = DETACHED.matcher(r.out());
    assertThat(m.find()).as(r.toString()).isTrue();
    return m.group(1);
  }

  /** Remembers the process of an engine named {@code run@host:pid:xxxxxx}, to stop it after the test. */
  void remember(String engine) {
    Matcher pid = ENGINE_PID.matcher(engine);
    assertThat(pid.find()).as(engine).isTrue();
    engines.add(Long.parseLong(pid.group(1)));
  }

  /** Stops the remembered engine processes and their children. */
  void stopEngines() {
    for (long pid : engines) {
      ProcessHandle.of(pid).ifPresent(p -> {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      });
    }
  }

  /** Runs a command to its end. */
  Result run(Duration limit, String... args) throws IOException, InterruptedException {
    return start(args).await(limit);
  }
}
