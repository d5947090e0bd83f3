package dev.orchestrator;

/**
 * Tokens a provider call consumed, as the provider reported them.
 *
 * @param inputTokens prompt tokens, including cached ones
 * @param outputTokens completion tokens, including reasoning ones
 * @param cachedInputTokens prompt tokens served from the provider's cache (a subset of input)
 * @param cacheWriteTokens prompt tokens written to the provider's cache
 * @param reasoningTokens output tokens spent on hidden reasoning (a subset of output)
 */
public record TokenUsage(
    long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteTokens, long reasoningTokens) {
  /** No tokens. */
  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

  public TokenUsage {
    if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cacheWriteTokens < 0 || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative (was input=" + inputTokens
          + ", output=" + outputTokens + ", cachedInput=" + cachedInputTokens + ", cacheWrite=" + cacheWriteTokens
          + ", reasoning=" + reasoningTokens + ")");
    }
  }

  /** Plain input and output tokens. */
  public static TokenUsage of(long inputTokens, long outputTokens) {
    return new TokenUsage(inputTokens, outputTokens, 0, 0, 0);
  }

  /** The sum of two usages, field by field. */
  public TokenUsage plus(TokenUsage o) {
    return new TokenUsage(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
        cachedInputTokens + o.cachedInputTokens, cacheWriteTokens + o.cacheWriteTokens,
        reasoningTokens + o.reasoningTokens);
  }

  /** Input plus output tokens. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
