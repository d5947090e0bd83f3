package dev.orchestrator.examples;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;

/**
 * A local, offline provider for the examples: it answers at once with text derived from the prompt, counts words as
 * tokens and prices them like a small model, so a workflow runs end to end without keys or network. Every output
 * says that it is offline. Thread-safe.
 */
public final class OfflineProvider implements AiProvider {
  private static final BigDecimal INPUT_PER_TOKEN = new BigDecimal("0.00000015");
  private static final BigDecimal OUTPUT_PER_TOKEN = new BigDecimal("0.0000006");

  private final String name;

  public OfflineProvider(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "offline";
  }

  @Override
  public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
    String firstLine = request.prompt().lines().findFirst().orElse("").strip();
    String text = "[offline " + name + "] " + summary(firstLine) + " (task " + context.taskId() + ", "
        + request.prompt().length() + " characters of instructions read)";
    TokenUsage usage = TokenUsage.of(words(request.prompt()), words(text));
    return CompletableFuture.completedFuture(ProviderResponse.builder().text(text).usage(usage)
        .model(name + "-offline").cost(cost(usage)).build());
  }

  private static String summary(String line) {
    return line.length() <= 70 ? line : line.substring(0, 67) + "...";
  }

  private static long words(String s) {
    return s.isBlank() ? 0 : s.trim().split("\\s+").length;
  }

  private static Money cost(TokenUsage u) {
    return Money.usd(INPUT_PER_TOKEN.multiply(BigDecimal.valueOf(u.inputTokens()))
        .add(OUTPUT_PER_TOKEN.multiply(BigDecimal.valueOf(u.outputTokens()))));
  }

  @Override
  public CostEstimate estimate(ProviderRequest request) {
    long in = words(request.prompt());
    long maxOut = request.maxOutputTokens() != null ? request.maxOutputTokens() : 1024;
    return CostEstimate.builder().expectedUsage(TokenUsage.of(in, 40)).low(cost(TokenUsage.of(in, 0)))
        .expected(cost(TokenUsage.of(in, 40))).high(cost(TokenUsage.of(in, maxOut))).build();
  }

  @Override
  public String toString() {
    return "OfflineProvider[" + name + "]";
  }
}
