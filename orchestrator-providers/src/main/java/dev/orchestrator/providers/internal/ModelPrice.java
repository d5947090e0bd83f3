package dev.orchestrator.providers.internal;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One model's prices in US dollars per million tokens.
 *
 * @param input uncached prompt tokens
 * @param output completion tokens, reasoning included
 * @param cachedInput prompt tokens read from the provider's cache
 * @param cacheWrite prompt tokens written to the provider's cache
 * @param asOf the day the prices were taken from the vendor's price page, or null for configured prices
 */
public record ModelPrice(BigDecimal input, BigDecimal output, BigDecimal cachedInput, BigDecimal cacheWrite,
    @Nullable LocalDate asOf) {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  public ModelPrice {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(cachedInput, "cachedInput");
    Objects.requireNonNull(cacheWrite, "cacheWrite");
    if (input.signum() < 0 || output.signum() < 0 || cachedInput.signum() < 0 || cacheWrite.signum() < 0) {
      throw new IllegalArgumentException("prices must not be negative (was input=" + input + ", output=" + output
          + ", cachedInput=" + cachedInput + ", cacheWrite=" + cacheWrite + ")");
    }
  }

  /** Input and output prices; cached reads and cache writes cost as much as input. */
  public static ModelPrice of(BigDecimal input, BigDecimal output) {
    return new ModelPrice(input, output, input, input, null);
  }

  /**
   * What a call with this usage costs, exactly. Cached and cache-write tokens are part of the input tokens and are
   * charged at their own rates; reasoning tokens are part of the output tokens.
   */
  public Money cost(TokenUsage usage) {
    long uncached = Math.max(0, usage.inputTokens() - usage.cachedInputTokens() - usage.cacheWriteTokens());
    BigDecimal perMillion = input.multiply(BigDecimal.valueOf(uncached))
        .add(cachedInput.multiply(BigDecimal.valueOf(usage.cachedInputTokens())))
        .add(cacheWrite.multiply(BigDecimal.valueOf(usage.cacheWriteTokens())))
        .add(output.multiply(BigDecimal.valueOf(usage.outputTokens())));
    return Money.usd(perMillion.divide(MILLION));
  }
}
