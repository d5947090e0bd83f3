package dev.orchestrator.providers.internal;

import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.ProviderRequest;
import java.time.Duration;

/** Cost and duration estimates without calling anything: about four characters to a token. */
public final class Estimates {
  private static final int MESSAGE_OVERHEAD_TOKENS = 8;
  private static final int TYPICAL_OUTPUT_TOKENS = 512;

  private Estimates() {}

  /** Roughly how many tokens a text is: a quarter of its characters, rounded up. */
  public static long tokens(String text) {
    return (text.length() + 3) / 4;
  }

  /** The prompt tokens of a request: prompt, system prompt and schema, plus message framing. */
  public static long inputTokens(ProviderRequest request) {
    long n = tokens(request.prompt()) + MESSAGE_OVERHEAD_TOKENS;
    if (request.system() != null) {
      n += tokens(request.system());
    }
    if (request.expectedOutput() != null) {
      n += tokens(request.expectedOutput().content());
    }
    return n;
  }

  /**
   * low = the input alone; expected = the input and a typical reply; high = the input and every output token
   * allowed (what budgets reserve).
   */
  public static CostEstimate estimate(ModelPrice price, ProviderRequest request, int maxOutputTokens,
      double outputTokensPerSecond, Duration firstTokenLatency) {
    long in = inputTokens(request);
    long maxOut = Math.max(1, maxOutputTokens);
    long typical = Math.min(maxOut, TYPICAL_OUTPUT_TOKENS);
    TokenUsage expected = TokenUsage.of(in, typical);
    Duration duration = firstTokenLatency.plusMillis((long) (typical * 1000 / outputTokensPerSecond));
    return new CostEstimate(expected, price.cost(TokenUsage.of(in, 0)), price.cost(expected),
        price.cost(TokenUsage.of(in, maxOut)), duration);
  }
}
