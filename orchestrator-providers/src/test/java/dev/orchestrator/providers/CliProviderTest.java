package dev.orchestrator.providers;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.internal.cli.CliProvider;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.ProviderContract;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code cli} provider running real child processes: small shell scripts in a temporary directory. */
class CliProviderTest extends ProviderContract {
  static final CallContext CALL = CallContext.of("test", "run-1", "task-1", 1);
  final MutableClock clock = MutableClock.create();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final Path dir;

  CliProviderTest() throws IOException {
    dir = Files.createTempDirectory("cli-provider-test").toRealPath();
  }

  @AfterEach
  void deleteScripts() throws Exception {
    // A cancelled call's script is killed asynchronously and may still write its pid file: wait for every child
    // of this JVM to be gone before emptying the directory, or the directory may refill while it is deleted.
    for (ProcessHandle h : ProcessHandle.current().descendants().toList()) {
      h.destroyForcibly();
      h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  Path script(String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  CliProvider cli(String command, String... props) {
    Map<String, String> p = new HashMap<>();
    p.put("command", command);
    p.put("env.TEST_DIR", dir.toString());
    for (int i = 0; i + 1 < props.length; i += 2) {
      p.put(props[i], props[i + 1]);
    }
    return (CliProvider) new CliProviderFactory().create(new PluginConfig("codex", "cli", p),
        PluginContext.of(clock, scheduler, k -> null));
  }

  String echo() throws IOException {
    return script("echo.sh", "input=$(cat)\necho \"agent says: $input\"").toString();
  }

  String hang() throws IOException {
    return script("hang.sh", """
        sleep 300 &
        echo $! > "$TEST_DIR/child.tmp"
        mv "$TEST_DIR/child.tmp" "$TEST_DIR/child.pid"
        wait""").toString();
  }

  @Override
  protected AiProvider createProvider() {
    try {
      return cli(echo());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected @Nullable AiProvider createFailingProvider(ErrorKind kind) {
    try {
      return switch (kind) {
        case RATE_LIMITED -> cli(script("rate.sh", "echo 'API Error: 429 rate_limit_error' >&2; exit 1").toString());
        case SERVER -> cli(script("server.sh", "echo 'API Error: 500 Internal server error' >&2; exit 1")
            .toString());
        case AUTH -> cli(script("auth.sh", "echo 'Invalid API key · Please run /login' >&2; exit 1").toString());
        case INVALID_REQUEST -> cli(script("usage.sh", "echo 'error: unknown option' >&2; exit 2").toString(),
            "exitCode.2", "INVALID_REQUEST");
        default -> null;
      };
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected @Nullable AiProvider createHangingProvider() {
    try {
      return cli(hang());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected String factoryType() {
    return "cli";
  }

  static ProviderResponse get(CompletableFuture<ProviderResponse> f) throws Exception {
    try {
      return f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  static ProviderException failure(CompletableFuture<ProviderResponse> f) throws Exception {
    try {
      f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (ProviderException) e.getCause();
    }
    throw new AssertionError("the call succeeded but was expected to fail");
  }

  /** Waits, on file-system events and never longer than the bound, for a file to appear. */
  static Path awaitFile(Path file, Duration bound) throws Exception {
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      file.getParent().register(watch, ENTRY_CREATE);
      long deadline = System.nanoTime() + bound.toNanos();
      while (!Files.exists(file)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(file + " did not appear within " + bound);
        }
        var key = watch.poll(left, TimeUnit.NANOSECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
      return file;
    }
  }

  ProcessHandle child() throws Exception {
    long pid = Long.parseLong(Files.readString(awaitFile(dir.resolve("child.pid"), Duration.ofSeconds(20))).trim());
    return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("the child " + pid + " is not running"));
  }

  static void assertGone(ProcessHandle h) throws Exception {
    h.onExit().get(10, TimeUnit.SECONDS);
    assertThat(h.isAlive()).as("process %d is gone", h.pid()).isFalse();
  }

  @Test
  void theHealthProbeRunsTheConfiguredCommandAndWithoutOneSaysHowToSetIt() throws Exception {
    assertThat(cli(echo()).probe().get(10, java.util.concurrent.TimeUnit.SECONDS).status())
        .isEqualTo(dev.orchestrator.spi.provider.Health.Status.UNKNOWN);
    dev.orchestrator.spi.provider.Health up = cli(echo(), "healthCommand", "true").probe()
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(up.status()).isEqualTo(dev.orchestrator.spi.provider.Health.Status.UP);
    assertThat(up.latency()).isNotNull();
    dev.orchestrator.spi.provider.Health down = cli(echo(), "healthCommand", "sh -c 'exit 3'").probe()
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(down.status()).isEqualTo(dev.orchestrator.spi.provider.Health.Status.DOWN);
    assertThat(down.detail()).isEqualTo("healthCommand exited 3");
    assertThat(cli(echo(), "healthCommand", "no-such-agent-binary --version").probe()
        .get(10, java.util.concurrent.TimeUnit.SECONDS).detail()).contains("could not start", "on the PATH");
  }

  @Test
  void thePromptGoesOnStdinAndStdoutIsTheAnswer() throws Exception {
    ProviderResponse r = get(cli(echo()).complete(
        ProviderRequest.builder().prompt("fix the bug").system("be careful").taskType("code").build(), CALL));
    assertThat(r.text()).isEqualTo("agent says: be careful\n\nfix the bug");
    assertThat(r.usage()).isEqualTo(TokenUsage.NONE);
  }

  @Test
  void thePromptCanBeAnArgument() throws Exception {
    String args = script("args.sh", "printf '%s|' \"$@\"").toString();
    assertThat(get(cli(args + " --print {prompt}").complete(ProviderRequest.of("a b"), CALL)).text())
        .isEqualTo("--print|a b|");
    assertThat(get(cli(args + " -p", "promptMode", "argument").complete(ProviderRequest.of("c d"), CALL)).text())
        .isEqualTo("-p|c d|");
  }

  @Test
  void runsInTheWorkingDirectory() throws Exception {
    Path work = Files.createDirectory(dir.resolve("work"));
    assertThat(get(cli(script("pwd.sh", "pwd").toString(), "workingDirectory", work.toString())
        .complete(ProviderRequest.of("x"), CALL)).text()).isEqualTo(work.toString());
  }

  @Test
  void aCallThatNamesAWorkingDirectoryRunsThere() throws Exception {
    Path work = Files.createDirectory(dir.resolve("work"));
    Path checkout = Files.createDirectory(dir.resolve("checkout"));
    assertThat(get(cli(script("pwd.sh", "pwd").toString(), "workingDirectory", work.toString())
        .complete(ProviderRequest.of("x"), CALL.withWorkingDirectory(checkout))).text())
        .isEqualTo(checkout.toString());
    assertThat(CALL.withWorkingDirectory(checkout)).isEqualTo(CALL);
    assertThat(CALL.workingDirectory()).isEmpty();
  }

  @Test
  void readsTokensAndDollarsWhenTheToolPrintsThem() throws Exception {
    String json = script("claude.sh", "cat > /dev/null; echo '{\"type\":\"result\",\"subtype\":\"success\","
        + "\"is_error\":false,\"duration_ms\":2041,\"result\":\"Done.\",\"session_id\":\"4f1c\","
        + "\"total_cost_usd\":0.0123,\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":100,"
        + "\"cache_read_input_tokens\":200,\"output_tokens\":50}}'").toString();
    ProviderResponse r = get(cli(json, "outputFormat", "json").complete(ProviderRequest.of("x"), CALL));
    assertThat(r.text()).isEqualTo("Done.");
    assertThat(r.usage()).isEqualTo(TokenUsage.builder().input(310).output(50).cachedInput(200).cacheWrite(100)
        .build());
    assertThat(r.cost()).isEqualTo(Money.usd("0.0123"));
    assertThat(r.costBasis()).isEqualTo(CostBasis.MEASURED);
    assertThat(r.responseId()).isEqualTo("4f1c");
  }

  @Test
  void tokensWithoutDollarsArePricedOnlyWhenTheModelHasAPrice() throws Exception {
    String json = script("gemini.sh", "cat > /dev/null; echo '{\"response\":\"Done.\","
        + "\"usage\":{\"input_tokens\":1000,\"output_tokens\":100}}'").toString();
    ProviderResponse priced = get(cli(json, "outputFormat", "json", "model", "gemini-2.5-flash")
        .complete(ProviderRequest.of("x"), CALL));
    // 1000 in x 0.30 + 100 out x 2.50, per million
    assertThat(priced.cost()).isEqualTo(Money.usd("0.00055"));
    assertThat(priced.costBasis()).isEqualTo(CostBasis.MEASURED);

    ProviderResponse unpriced = get(cli(json, "outputFormat", "json", "model", "my-agent-model")
        .complete(ProviderRequest.of("x"), CALL));
    assertThat(unpriced.cost()).isEqualTo(Money.ZERO);
    assertThat(unpriced.costBasis()).isEqualTo(CostBasis.UNPRICED);

    ProviderResponse noModel = get(cli(json, "outputFormat", "json").complete(ProviderRequest.of("x"), CALL));
    assertThat(noModel.costBasis()).isEqualTo(CostBasis.UNPRICED);
  }

  @Test
  void plainTextSaysNothingOfTheCostSoTheCallIsUnpriced() throws Exception {
    ProviderResponse r = get(cli(echo()).complete(ProviderRequest.of("x"), CALL));
    assertThat(r.cost()).isEqualTo(Money.ZERO);
    assertThat(r.costBasis()).isEqualTo(CostBasis.UNPRICED);
  }

  @Test
  void cancellingDestroysTheWholeProcessTree() throws Exception {
    CliProvider p = cli(hang());
    CompletableFuture<ProviderResponse> f = p.complete(ProviderRequest.of("x"), CALL);
    ProcessHandle child = child();
    ProcessHandle parent = p.running().get(0);
    assertThat(parent.descendants().map(ProcessHandle::pid)).contains(child.pid());
    assertThat(f.cancel(true)).isTrue();
    assertGone(parent);
    assertGone(child);
  }

  @Test
  void aTreeThatIgnoresTheRequestToEndIsKilledAfterTheGrace() throws Exception {
    String stubborn = script("stubborn.sh", """
        trap '' TERM
        sleep 300 &
        echo $! > "$TEST_DIR/child.tmp"
        mv "$TEST_DIR/child.tmp" "$TEST_DIR/child.pid"
        wait
        wait""").toString();
    CliProvider p = cli(stubborn);
    CompletableFuture<ProviderResponse> f = p.complete(ProviderRequest.of("x"), CALL);
    ProcessHandle child = child();
    ProcessHandle parent = p.running().get(0);
    assertThat(f.cancel(true)).isTrue();
    // Both ignore SIGTERM (an ignored signal stays ignored in children): only the kill after the grace ends them.
    assertThat(parent.onExit().completeOnTimeout(parent, 500, TimeUnit.MILLISECONDS).get().isAlive()).isTrue();
    scheduler.advance(CliProvider.GRACE);
    assertGone(parent);
    assertGone(child);
  }

  @Test
  void theAgentRunsInASessionOfItsOwnAndIsReportedWithItsCall() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "no setsid here");
    List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
    Map<String, String> props = new HashMap<>(Map.of("command", script("session.sh",
        "cut -d' ' -f6 /proc/$$/stat").toString()));
    CliProvider p = (CliProvider) new CliProviderFactory().create(new PluginConfig("codex", "cli", props),
        PluginContext.builder().clock(clock).scheduler(scheduler).environment(k -> null)
            .processes((call, process) -> {
              reported.add(call.taskId() + "#" + call.attempt() + " started " + process.pid());
              return () -> reported.add("ended " + process.pid());
            }).build());
    ProviderResponse r = get(p.complete(ProviderRequest.of("x"), CALL));
    String ours = Files.readString(Path.of("/proc/self/stat")).split(" ")[5];
    assertThat(r.text()).isNotBlank().isNotEqualTo(ours);
    assertThat(reported).hasSize(2);
    assertThat(reported.get(0)).startsWith("task-1#1 started ");
    assertThat(reported.get(1)).isEqualTo("ended " + reported.get(0).substring("task-1#1 started ".length()));
  }

  @Test
  void aCallPastItsTimeoutIsStoppedWithItsChildren() throws Exception {
    CliProvider p = cli(hang(), "timeout", "5m");
    CompletableFuture<ProviderResponse> f = p.complete(ProviderRequest.of("x"), CALL);
    ProcessHandle child = child();
    ProcessHandle parent = p.running().get(0);
    scheduler.advance(Duration.ofMinutes(4));
    assertThat(f).isNotDone();
    scheduler.advance(Duration.ofMinutes(1));
    ProviderException e = failure(f);
    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(e.getMessage()).contains("PT5M");
    assertGone(parent);
    assertGone(child);
  }

  @Test
  void tooMuchOutputFailsTheCall() throws Exception {
    String loud = script("loud.sh", "head -c 200000 /dev/zero | tr '\\0' x").toString();
    ProviderException e = failure(cli(loud, "maxOutputBytes", "1000").complete(ProviderRequest.of("x"), CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("maxOutputBytes=1000");
  }

  @Test
  void outputGrowingPastTheLimitIsStoppedWhileRunning() throws Exception {
    CliProvider p = cli(script("flood.sh", "head -c 5000 /dev/zero; sleep 300 &\necho $! > \"$TEST_DIR/child.tmp\"\n"
        + "mv \"$TEST_DIR/child.tmp\" \"$TEST_DIR/child.pid\"\nwait").toString(), "maxOutputBytes", "1000",
        "checkInterval", "1s");
    CompletableFuture<ProviderResponse> f = p.complete(ProviderRequest.of("x"), CALL);
    ProcessHandle child = child();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(failure(f).kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
    assertGone(child);
  }

  @Test
  void aMissingProgramIsAnInvalidRequest() throws Exception {
    ProviderException e = failure(cli(dir.resolve("no-such-agent").toString()).complete(ProviderRequest.of("x"),
        CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("command");
    ProviderException notFound = failure(cli(script("nf.sh", "exit 127").toString())
        .complete(ProviderRequest.of("x"), CALL));
    assertThat(notFound.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
  }

  @Test
  void unclassifiedExitCodesUseTheConfiguredKind() throws Exception {
    String odd = script("odd.sh", "echo 'something odd' >&2; exit 3").toString();
    assertThat(failure(cli(odd).complete(ProviderRequest.of("x"), CALL)).kind()).isEqualTo(ErrorKind.UNKNOWN);
    assertThat(failure(cli(odd, "failureKind", "SERVER").complete(ProviderRequest.of("x"), CALL)).kind())
        .isEqualTo(ErrorKind.SERVER);
  }
}
