package dev.orchestrator.providers.http;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one model costs, by its vendor's published rules: base rates, an optional long-context tier and the batch
 * discount. Exact: every amount is a {@link BigDecimal}.
 *
 * <p><b>Long context.</b> When a call's input ({@link TokenUsage#inputTokens()}: every prompt token the vendor counts,
 * cache reads and writes included) is above {@link LongContext#aboveInputTokens()}, every token of the call, input and
 * output, is billed at the tier's rates, the cache rates included. Anthropic's Sonnet 4 and 4.5 and Google's Gemini
 * 2.5 Pro bill so above 200,000 tokens; models without a tier bill one rate at every length.
 *
 * @param base the rates of a call below the long-context threshold
 * @param longContext the long-context tier, or null when the model has none
 * @param batch what a batch call costs as a share of the same call made at once ({@code 0.5} for half price)
 * @param asOf the day the prices were taken from the vendor's price page, or null for configured prices
 * @param source where they were taken from (the vendor's price page), or null for configured prices
 */
public record ModelPrice(Rates base, @Nullable LongContext longContext, BigDecimal batch, @Nullable LocalDate asOf,
    @Nullable String source) {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /**
   * The rates of a call whose input is above a threshold.
   *
   * @param aboveInputTokens the threshold: a call with more input tokens than this is billed at {@code rates}
   * @param rates the tier's rates
   */
  public record LongContext(long aboveInputTokens, Rates rates) {
    public LongContext {
      Objects.requireNonNull(rates, "rates");
      if (aboveInputTokens <= 0) {
        throw new IllegalArgumentException("longContext.aboveInputTokens must be positive (was " + aboveInputTokens
            + "): give the vendor's threshold, such as 200000");
      }
    }
  }

  public ModelPrice {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(batch, "batch");
    if (batch.signum() <= 0 || batch.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException("batch must be a share above 0 and at most 1, such as 0.5 (was " + batch
          + ")");
    }
  }

  /** Text-only prices without tiers: cache reads and writes cost as much as input. */
  public static ModelPrice of(BigDecimal input, BigDecimal output) {
    return new ModelPrice(Rates.of(input, output), null, BigDecimal.ONE, null, null);
  }

  /**
   * Text-only prices without tiers, with where and when they were read, for a plugin's own table:
   * {@code ModelPrice.of(new BigDecimal("0.40"), new BigDecimal("2.00"), LocalDate.of(2025, 6, 1),
   * "https://vendor.example/pricing")}.
   *
   * @param input USD per million input tokens (cache reads and writes cost the same)
   * @param output USD per million output tokens
   * @throws IllegalArgumentException when a rate is negative
   */
  public static ModelPrice of(BigDecimal input, BigDecimal output, LocalDate asOf, String source) {
    return new ModelPrice(Rates.of(input, output), null, BigDecimal.ONE, asOf, source);
  }

  /**
   * These prices with cache reads billed at their own rate, for a vendor that discounts them.
   *
   * @param cachedInput USD per million prompt tokens read from the cache
   * @throws IllegalArgumentException when the rate is negative
   */
  public ModelPrice withCachedInput(BigDecimal cachedInput) {
    Rates r = base;
    return new ModelPrice(new Rates(r.input(), r.output(), cachedInput, r.cacheWrite(), r.cacheWrite1h(),
        r.audioInput(), r.audioOutput(), r.imageInput(), r.imageOutput()), longContext, batch, asOf, source);
  }

  /** The base input rate, USD per million tokens. */
  public BigDecimal input() {
    return base.input();
  }

  /** The base output rate, USD per million tokens. */
  public BigDecimal output() {
    return base.output();
  }

  /** The rates a call with this usage is billed at: the long-context tier's when its input is above the threshold. */
  public Rates ratesFor(TokenUsage usage) {
    return longContext != null && usage.inputTokens() > longContext.aboveInputTokens() ? longContext.rates() : base;
  }

  /** What a call with this usage costs when made at once. */
  public Money cost(TokenUsage usage) {
    return cost(usage, false);
  }

  /**
   * What a call with this usage costs, exactly. Each part of the input is billed at its own rate (cache reads, cache
   * writes by time to live, audio, images; the rest as text), and each part of the output likewise. Tokens a usage
   * counts in two parts (audio that was also read from the cache, which no vendor splits in its chat usage) are
   * billed in both, so such a cost errs high, never low.
   *
   * @param batch whether the call went through the vendor's batch interface
   */
  public Money cost(TokenUsage usage, boolean batch) {
    Rates r = ratesFor(usage);
    long cacheWrite1h = Math.min(usage.cacheWrite1hTokens(), usage.cacheWriteTokens());
    long cacheWrite5m = usage.cacheWriteTokens() - cacheWrite1h;
    long textIn = Math.max(0, usage.inputTokens() - usage.cachedInputTokens() - usage.cacheWriteTokens()
        - usage.audioInputTokens() - usage.imageInputTokens());
    long textOut = Math.max(0, usage.outputTokens() - usage.audioOutputTokens() - usage.imageOutputTokens());
    BigDecimal perMillion = r.input().multiply(BigDecimal.valueOf(textIn))
        .add(r.cachedInput().multiply(BigDecimal.valueOf(usage.cachedInputTokens())))
        .add(r.cacheWrite().multiply(BigDecimal.valueOf(cacheWrite5m)))
        .add(r.cacheWrite1h().multiply(BigDecimal.valueOf(cacheWrite1h)))
        .add(r.audioInput().multiply(BigDecimal.valueOf(usage.audioInputTokens())))
        .add(r.imageInput().multiply(BigDecimal.valueOf(usage.imageInputTokens())))
        .add(r.output().multiply(BigDecimal.valueOf(textOut)))
        .add(r.audioOutput().multiply(BigDecimal.valueOf(usage.audioOutputTokens())))
        .add(r.imageOutput().multiply(BigDecimal.valueOf(usage.imageOutputTokens())));
    BigDecimal amount = perMillion.divide(MILLION);
    return Money.usd(batch ? amount.multiply(this.batch) : amount);
  }
}
