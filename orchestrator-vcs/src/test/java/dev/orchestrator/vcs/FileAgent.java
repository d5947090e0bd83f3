package dev.orchestrator.vcs;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A coding agent double: type {@code cli}; each call writes the files its task's script names into the call's working
 * directory, and replies with a fixed usage and cost. Calls may be held until released, to run them side by side.
 */
final class FileAgent implements AiProvider {
  static final Money COST = Money.usd("0.012345");
  static final TokenUsage USAGE = TokenUsage.of(1234, 567);

  private final String type;
  private final Function<String, Map<String, String>> files;
  final Map<String, Path> directories = new ConcurrentHashMap<>();
  final Map<String, Map<String, Boolean>> saw = new ConcurrentHashMap<>();
  final List<CompletableFuture<ProviderResponse>> held = new CopyOnWriteArrayList<>();
  volatile boolean hold;
  /** Replies without usage or price, as a command-line agent with text output does; estimates {@link #HIGH}. */
  volatile boolean unpriced;
  static final Money HIGH = Money.usd("0.0625");

  FileAgent(String type, Function<String, Map<String, String>> files) {
    this.type = type;
    this.files = files;
  }

  static FileAgent cli(Function<String, Map<String, String>> files) {
    return new FileAgent("cli", files);
  }

  @Override
  public String name() {
    return "agent";
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
    String task = context.taskId();
    Path dir = context.workingDirectory().orElse(null);
    if (dir != null) {
      directories.put(task, dir);
      Map<String, Boolean> seen = new ConcurrentHashMap<>();
      for (String f : List.of("a.txt", "b.txt", "c.txt")) {
        seen.put(f, Files.exists(dir.resolve(f)));
      }
      saw.put(task, seen);
      files.apply(task).forEach((path, text) -> {
        try {
          Path f = dir.resolve(path);
          Files.createDirectories(f.getParent());
          Files.writeString(f, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    ProviderResponse r = unpriced
        ? ProviderResponse.builder().text("output of " + task).costBasis(dev.orchestrator.CostBasis.UNPRICED)
            .model("agent-model-1").build()
        : ProviderResponse.builder().text("output of " + task).usage(USAGE).cost(COST).model("agent-model-1")
            .build();
    if (hold) {
      CompletableFuture<ProviderResponse> f = new CompletableFuture<>();
      held.add(f);
      return f.thenApply(x -> r);
    }
    return CompletableFuture.completedFuture(r);
  }

  @Override
  public CostEstimate estimate(ProviderRequest request) {
    return unpriced ? CostEstimate.of(TokenUsage.of(100, 100), Money.ZERO, HIGH, HIGH, java.time.Duration.ZERO)
        : CostEstimate.of(USAGE, COST, COST, COST, java.time.Duration.ZERO);
  }
}
