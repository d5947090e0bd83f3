package dev.orchestrator.providers.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.Scheduler;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.Estimates;
import dev.orchestrator.providers.http.Json;
import dev.orchestrator.providers.http.ModelPrice;
import dev.orchestrator.providers.http.Pricing;
import dev.orchestrator.providers.http.Prompts;
import dev.orchestrator.providers.http.Redactor;
import dev.orchestrator.providers.http.Settings;
import dev.orchestrator.providers.http.TokenCounter;
import dev.orchestrator.spi.ChildProcesses;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.Health;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command-line agent ({@code claude -p}, {@code codex exec}, {@code gemini -p}, or any command) as a child
 * process per call. The prompt goes on stdin (from a file, so no thread writes it) or into the arguments; stdout and
 * stderr go to files, so no thread reads them while the process runs. The call ends when the process exits
 * ({@link Process#onExit()}), when its time limit passes (through the engine's scheduler), when its output outgrows
 * the limit, or when the engine cancels it; the last three end the whole process tree (asked to end, then killed
 * after {@link #GRACE}).
 *
 * <p>Each agent runs in a session of its own ({@code setsid}, from util-linux, where it is installed), so a Ctrl-C at
 * the terminal of the process that started it never reaches the agent: the engine decides whether a call ends. Each
 * process is reported to the engine ({@link dev.orchestrator.spi.ChildProcesses}), which records it in the store
 * with its owner, so that an engine taking the run over after its owner died ends it. Thread-safe.
 */
public final class CliProvider implements AiProvider {
  public static final String TYPE = "cli";
  private static final Logger log = LoggerFactory.getLogger(CliProvider.class);
  private static final String PROMPT = "{prompt}";
  /** How long an agent's process tree gets to end after it was asked to, before it is killed. */
  public static final Duration GRACE = Duration.ofSeconds(3);
  /**
   * util-linux's {@code setsid}, which starts a program in a new session (and so a new process group) where it is
   * installed (Linux); {@code --wait} makes it wait for the program and return its exit code in the rare case where
   * it must fork. Null elsewhere (macOS, Windows): the agent then shares the engine's process group.
   */
  private static final @Nullable String SETSID = findSetsid();
  private static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;
  private static final Duration LATENCY = Duration.ofSeconds(5);
  private static final Pattern RATE = Pattern.compile("(?i)(rate.?limit|too many requests|\\b429\\b|quota)");
  private static final Pattern OVERLOADED = Pattern.compile("(?i)(overloaded|\\b529\\b|\\b503\\b)");
  private static final Pattern AUTH = Pattern.compile(
      "(?i)(\\b401\\b|\\b403\\b|unauthori[sz]ed|authentication|invalid api key|not logged in|please log ?in)");
  private static final Pattern CONTEXT = Pattern.compile("(?i)(context (length|window)|prompt is too long)");
  private static final Pattern SERVER = Pattern.compile("(?i)(\\b50[0-4]\\b|internal server error|server error)");

  private final String name;
  private final List<String> command;
  private final boolean promptAsArgument;
  private final @Nullable Path workingDirectory;
  private final Duration timeout;
  private final long maxOutputBytes;
  private final Duration checkInterval;
  private final boolean jsonOutput;
  private final Map<String, String> environment;
  private final Map<Integer, ErrorKind> exitCodes;
  private final ErrorKind failureKind;
  private final @Nullable String model;
  private final Pricing pricing;
  /** The configured {@code maxOutputTokens}, which caps a task's larger value; null when not configured. */
  private final @Nullable Integer maxOutputCap;
  private final Redactor redactor;
  private final Scheduler scheduler;
  private final ChildProcesses processes;
  private final boolean newSession;
  private final @Nullable List<String> healthCommand;
  private final Set<Process> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private CliProvider(Settings s) {
    this.name = s.name();
    this.command = CommandLine.split(s.require("command"));
    if (command.isEmpty()) {
      throw s.invalid("command", s.require("command"), "a command line such as: claude -p --output-format json");
    }
    String mode = s.string("promptMode", "stdin").toLowerCase(Locale.ROOT);
    if (!mode.equals("stdin") && !mode.equals("argument")) {
      throw s.invalid("promptMode", mode, "stdin or argument");
    }
    boolean placeholder = command.stream().anyMatch(a -> a.contains(PROMPT));
    this.promptAsArgument = placeholder || mode.equals("argument");
    String wd = s.optional("workingDirectory");
    if (wd != null && !Files.isDirectory(Path.of(wd))) {
      throw s.invalid("workingDirectory", wd, "an existing directory");
    }
    this.workingDirectory = wd == null ? null : Path.of(wd);
    String health = s.optional("healthCommand");
    this.healthCommand = health == null || health.isBlank() ? null : CommandLine.split(health);
    this.timeout = s.duration("timeout", Duration.ofMinutes(10));
    this.maxOutputBytes = s.longValue("maxOutputBytes", 1 << 20, 1);
    this.checkInterval = s.duration("checkInterval", Duration.ofSeconds(1));
    String format = s.string("outputFormat", "text").toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("json")) {
      throw s.invalid("outputFormat", format, "text or json");
    }
    this.jsonOutput = format.equals("json");
    this.environment = s.withPrefix("env.");
    Map<Integer, ErrorKind> codes = new LinkedHashMap<>();
    s.withPrefix("exitCode.").forEach((code, kind) -> {
      try {
        codes.put(Integer.parseInt(code), ErrorKind.valueOf(kind.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw s.invalid("exitCode." + code, kind, "an exit code mapped to an error kind such as exitCode.2=AUTH");
      }
    });
    this.exitCodes = Map.copyOf(codes);
    String fk = s.string("failureKind", "UNKNOWN").toUpperCase(Locale.ROOT);
    try {
      this.failureKind = ErrorKind.valueOf(fk);
    } catch (IllegalArgumentException e) {
      throw s.invalid("failureKind", fk, "an error kind such as SERVER or UNKNOWN");
    }
    this.model = s.optional("model");
    this.pricing = Pricing.from(s, model);
    this.maxOutputCap = s.optional("maxOutputTokens") == null ? null
        : s.integer("maxOutputTokens", DEFAULT_MAX_OUTPUT_TOKENS, 1, 1_000_000);
    List<String> secrets = new ArrayList<>();
    environment.forEach((k, v) -> {
      if (PluginConfig.isSecret(k)) {
        secrets.add(v);
      }
    });
    this.redactor = Redactor.of(secrets.toArray(new String[0]));
    this.scheduler = s.context().scheduler();
    this.processes = s.context().processes();
    this.newSession = s.bool("newSession", true);
  }

  public static CliProvider create(Settings s) {
    return new CliProvider(s);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** The processes of calls in flight (for tests and diagnostics). */
  public List<ProcessHandle> running() {
    List<ProcessHandle> out = new ArrayList<>();
    for (Process p : running) {
      out.add(p.toHandle());
    }
    return Collections.unmodifiableList(out);
  }

  /** The instance's {@code healthCommand}, run with no prompt: exit code 0 is up (see {@link AgentHealth}). */
  @Override
  public CompletableFuture<Health> probe() {
    return AgentHealth.probe(healthCommand, workingDirectory, scheduler);
  }

  @Override
  public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    if (closed) {
      return CompletableFuture.failedFuture(ProviderException.closed(name));
    }
    String prompt = prompt(request);
    Path dir;
    Process process;
    try {
      dir = Files.createTempDirectory("orchestrator-cli-");
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new ProviderException(name, ErrorKind.UNKNOWN,
          "cannot create a temporary directory for the call's output (" + e.getMessage() + ")", false, null, e));
    }
    Path stdout = dir.resolve("stdout");
    Path stderr = dir.resolve("stderr");
    try {
      List<String> argv = new ArrayList<>();
      if (newSession && SETSID != null) {
        argv.add(SETSID);
        argv.add("--wait");
      }
      for (String arg : command) {
        argv.add(arg.replace(PROMPT, prompt));
      }
      if (promptAsArgument && command.stream().noneMatch(a -> a.contains(PROMPT))) {
        argv.add(prompt);
      }
      ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
      Path cwd = context.workingDirectory().orElse(workingDirectory);
      if (cwd != null) {
        pb.directory(cwd.toFile());
      }
      pb.environment().putAll(environment);
      if (!promptAsArgument) {
        Path stdin = dir.resolve("stdin");
        Files.writeString(stdin, prompt, StandardCharsets.UTF_8);
        pb.redirectInput(stdin.toFile());
      } else {
        pb.redirectInput(new File("/dev/null").exists() ? new File("/dev/null") : Files.createFile(
            dir.resolve("stdin")).toFile());
      }
      process = pb.start();
    } catch (IOException e) {
      deleteQuietly(dir);
      return CompletableFuture.failedFuture(new ProviderException(name, ErrorKind.INVALID_REQUEST,
          "cannot start the command '" + command.get(0) + "' (" + redactor.redact(e.getMessage())
              + "): check the property 'command' and that the program is installed and on the PATH", false, null,
          e));
    }
    running.add(process);
    ChildProcesses.Registration registration = processes.started(context, process.toHandle());
    long started = System.nanoTime();
    log.debug("Agent process started (provider={}, pid={}, command={}, project={}, run={}, task={}, attempt={})",
        name, process.pid(), command.get(0), context.project(), context.runId(), context.taskId(),
        context.attempt());
    CompletableFuture<ProviderResponse> out = new CompletableFuture<>();
    Duration limit = request.timeout() != null ? request.timeout() : timeout;
    Scheduler.Cancellable timer = scheduler.schedule(() -> {
      if (out.completeExceptionally(new ProviderException(name, ErrorKind.TIMEOUT, "the command ran longer than "
          + limit + " and was stopped: raise the timeout or give it a smaller task", true, null, null))) {
        log.warn("Agent process timed out and was destroyed (provider={}, pid={}, timeout={})", name, process.pid(),
            limit);
      }
    }, limit);
    scheduleSizeCheck(process, stdout, stderr, out);
    out.whenComplete((r, e) -> {
      timer.cancel();
      if (e != null) {
        endTree(process); // cancelled, timed out or too much output
      }
    });
    process.onExit().whenCompleteAsync((p, e) -> {
      running.remove(process);
      registration.close();
      try {
        if (!out.isDone()) {
          finish(process.exitValue(), stdout, stderr, started, out);
        }
      } catch (RuntimeException ex) {
        out.completeExceptionally(new ProviderException(name, ErrorKind.UNKNOWN, "cannot read the command's output ("
            + redactor.redact(ex.getMessage()) + ")", false, null, ex));
      } finally {
        deleteQuietly(dir);
      }
    });
    return out;
  }

  private String prompt(ProviderRequest request) {
    StringBuilder sb = new StringBuilder();
    String system = Prompts.system(request, true);
    if (system != null) {
      sb.append(system).append("\n\n");
    }
    return sb.append(Prompts.user(request)).toString();
  }

  private void scheduleSizeCheck(Process process, Path stdout, Path stderr, CompletableFuture<ProviderResponse> out) {
    Scheduler.Cancellable check = scheduler.schedule(() -> {
      if (out.isDone() || !process.isAlive()) {
        return;
      }
      if (size(stdout) + size(stderr) > maxOutputBytes) {
        out.completeExceptionally(tooMuchOutput());
      } else {
        scheduleSizeCheck(process, stdout, stderr, out);
      }
    }, checkInterval);
    out.whenComplete((r, e) -> check.cancel());
  }

  private ProviderException tooMuchOutput() {
    return new ProviderException(name, ErrorKind.MALFORMED_RESPONSE, "the command wrote more than maxOutputBytes="
        + maxOutputBytes + " bytes and was stopped: raise maxOutputBytes or ask for a shorter answer", false, null,
        null);
  }

  private void finish(int exit, Path stdoutFile, Path stderrFile, long started,
      CompletableFuture<ProviderResponse> out) {
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    if (size(stdoutFile) + size(stderrFile) > maxOutputBytes) {
      out.completeExceptionally(tooMuchOutput());
      return;
    }
    String stdout = read(stdoutFile);
    String stderr = read(stderrFile);
    log.debug("Agent process exited (provider={}, exitCode={}, elapsedMs={}, stdoutBytes={}, stderrBytes={})", name,
        exit, elapsedMs, stdout.length(), stderr.length());
    if (exit != 0) {
      out.completeExceptionally(failure(exit, stderr.isBlank() ? stdout : stderr));
      return;
    }
    if (jsonOutput) {
      JsonNode json = null;
      try {
        json = Json.read(stdout.strip());
      } catch (Exception e) {
        // fall back to plain text below
      }
      if (json != null && json.isObject()) {
        if (json.path("is_error").asBoolean(false)) {
          out.completeExceptionally(failure(exit, String.valueOf(Json.text(json, "result"))));
          return;
        }
        out.complete(fromJson(json, stdout));
        return;
      }
    }
    // plain text says nothing of what the call cost
    out.complete(ProviderResponse.builder().text(stdout.strip()).usage(TokenUsage.NONE).model(model)
        .cost(Money.ZERO).costBasis(CostBasis.UNPRICED).build());
  }

  /** Claude Code's {@code --output-format json}, Gemini CLI's JSON and similar result objects. */
  private ProviderResponse fromJson(JsonNode json, String raw) {
    String text = firstText(json, "result", "response", "output", "text");
    JsonNode u = json.get("usage");
    if (!Json.present(u) && Json.present(json.get("stats"))) {
      u = json.get("stats");
    }
    TokenUsage usage = TokenUsage.NONE;
    if (Json.present(u)) {
      long read = Json.count(u, "cache_read_input_tokens");
      long write = Json.count(u, "cache_creation_input_tokens");
      long in = Json.count(u, "input_tokens") + Json.count(u, "prompt_tokens") + read + write;
      long outTokens = Json.count(u, "output_tokens") + Json.count(u, "completion_tokens");
      usage = TokenUsage.builder().input(in).output(outTokens).cachedInput(read).cacheWrite(write).build();
    }
    String answering = firstText(json, "model");
    Money reported = dollars(firstText(json, "total_cost_usd", "cost_usd"));
    Money cost = Money.ZERO;
    CostBasis basis = CostBasis.UNPRICED;
    if (reported != null) {
      cost = reported;
      basis = CostBasis.MEASURED;
    } else if (usage.totalTokens() > 0) {
      cost = pricing.cost(answering, usage);
      basis = pricing.basis(answering);
    }
    return ProviderResponse.builder().text(text == null ? raw.strip() : text).usage(usage)
        .model(answering != null ? answering : model).responseId(firstText(json, "session_id", "id")).cost(cost)
        .costBasis(basis).build();
  }

  /** The agent's own report of what the call cost, or null when it gives none (or no number). */
  private static @Nullable Money dollars(@Nullable String text) {
    if (text == null) {
      return null;
    }
    try {
      BigDecimal d = new BigDecimal(text);
      return d.signum() >= 0 ? Money.usd(d) : null;
    } catch (NumberFormatException e) {
      return null; // not a number: price from tokens instead
    }
  }

  private static @Nullable String firstText(JsonNode json, String... fields) {
    for (String f : fields) {
      JsonNode v = json.get(f);
      if (v != null && (v.isTextual() || v.isNumber())) {
        return v.asText();
      }
    }
    return null;
  }

  private ProviderException failure(int exit, String output) {
    String tail = output.strip();
    tail = tail.length() <= 300 ? tail : "..." + tail.substring(tail.length() - 297);
    String message = "the command exited with code " + exit + ": " + redactor.redact(tail);
    ErrorKind kind = exitCodes.get(exit);
    if (kind == null) {
      if (exit == 126 || exit == 127) {
        return new ProviderException(name, ErrorKind.INVALID_REQUEST, message
            + ": the program was not found or is not executable; check the property 'command'", false, null, null);
      }
      kind = RATE.matcher(output).find() ? ErrorKind.RATE_LIMITED
          : OVERLOADED.matcher(output).find() ? ErrorKind.OVERLOADED
          : AUTH.matcher(output).find() ? ErrorKind.AUTH
          : CONTEXT.matcher(output).find() ? ErrorKind.CONTEXT_TOO_LONG
          : SERVER.matcher(output).find() ? ErrorKind.SERVER
          : failureKind;
    }
    return new ProviderException(name, kind, message, kind.retryable(), null, null);
  }

  /**
   * Ends the process and every descendant it has: asks them all to end now (SIGTERM) and kills, after {@link #GRACE}
   * (through the scheduler), those still alive. The descendants are listed first: once the agent is gone they are
   * re-parented and no longer its descendants.
   */
  private void endTree(Process process) {
    List<ProcessHandle> tree = tree(process);
    tree.forEach(ProcessHandle::destroy);
    scheduler.schedule(() -> tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly),
        GRACE);
  }

  /** Ends the process tree as {@link #endTree} does, but waits for it (at most {@link #GRACE}) on this thread. */
  static void endTreeNow(Process process) {
    List<ProcessHandle> tree = tree(process);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + GRACE.toNanos();
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static List<ProcessHandle> tree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    try (Stream<ProcessHandle> d = process.descendants()) {
      d.forEach(tree::add);
    }
    return tree;
  }

  private static @Nullable String findSetsid() {
    if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
      return null;
    }
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new String(readBytes(p), StandardCharsets.UTF_8);
    }
  }

  private static byte[] readBytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      log.debug("Could not delete a call's temporary files (dir={}, error={})", dir, e.toString());
    }
  }

  /**
   * Estimated from tokens, as the HTTP providers do, when {@code model} names a priced model (or {@code price.*} is
   * set). Otherwise the agent's cost is known only after the call (it reports its own, or nothing): the estimate is
   * reserved at {@code maxCostPerCall}, or is unknown.
   */
  @Override
  public CostEstimate estimate(ProviderRequest request) {
    int maxOut = Estimates.maxOutput(request.maxOutputTokens(), maxOutputCap, DEFAULT_MAX_OUTPUT_TOKENS);
    if (model != null) {
      return Estimates.estimate(pricing, TYPE, model, request, maxOut, 30, LATENCY);
    }
    Optional<ModelPrice> price = pricing.priceOf(null);
    TokenCounter counter = Estimates.counterFor(TYPE, null);
    if (price.isPresent()) {
      return Estimates.bounded(price.get(), counter, request, maxOut, 30, LATENCY);
    }
    return Estimates.unbounded(pricing.maxCostPerCall(), "provider '" + name + "' (type cli) runs an agent whose cost"
        + " is known only after the call: set maxCostPerCall on provider '" + name + "', or model and"
        + " price.input/price.output to estimate it from tokens", Estimates.expectedUsage(counter, request, maxOut),
        Estimates.duration(maxOut, 30, LATENCY));
  }

  /** Stops accepting calls and destroys the processes of calls still running. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (Process p : running) {
      endTreeNow(p);
    }
  }

  @Override
  public String toString() {
    return "CliProvider[name=" + name + ", command=" + command.get(0) + ", promptMode="
        + (promptAsArgument ? "argument" : "stdin") + ", timeout=" + timeout + ", maxOutputBytes=" + maxOutputBytes
        + "]";
  }
}
