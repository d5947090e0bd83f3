package dev.orchestrator.providers.http;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.ProviderRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Cost and duration estimates without calling anything. The estimate's {@code high}, which budgets reserve, is a true
 * upper bound: the prompt counted by a {@link TokenCounter} that never counts fewer tokens than the vendor bills, plus
 * every output token the request allows, priced by {@link ModelPrice#cost} (so a prompt above a long-context
 * threshold is reserved at the tier's rates). A call that cannot be bounded (a model without a price, an agent that
 * reports its own cost) is reserved at the instance's {@code maxCostPerCall}, or is {@link CostEstimate#unknown}.
 */
public final class Estimates {
  static final int TYPICAL_OUTPUT_TOKENS = 512;
  private static final int MESSAGE_OVERHEAD_TOKENS = 8;
  private static final BigDecimal HALF = new BigDecimal("0.5");

  private Estimates() {}

  /** The counter that bounds a provider type's prompts for a model (see {@link TokenCounter}). */
  public static TokenCounter counterFor(String type, @Nullable String model) {
    return TokenCounter.forModel(type, model);
  }

  /** Roughly how many tokens a text is: a quarter of its characters, rounded up. A guess, never a bound. */
  public static long tokens(String text) {
    return (text.length() + 3) / 4;
  }

  /** Roughly the prompt tokens of a request (see {@link #tokens}): what the simulator reports as its usage. */
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
   * The most prompt tokens a request can be billed for: the system prompt with any JSON instruction, the user
   * message, their framing and the reply's priming. A JSON schema is counted a second time at one token per UTF-8 byte,
   * for vendors that take it natively and rewrite it into framing of their own that cannot be reproduced here (the
   * rewrite drops the JSON's quotes and braces, so it is shorter than the schema's bytes).
   */
  public static long inputBound(TokenCounter counter, ProviderRequest request) {
    long n = counter.perRequest() + counter.perMessage() + counter.count(Prompts.user(request));
    String system = Prompts.system(request, true);
    if (system != null) {
      n += counter.perMessage() + counter.count(system);
    }
    String schema = Prompts.schema(request);
    if (schema != null) {
      n += counter.perMessage() + TokenCounter.bytes().count(schema);
    }
    return n;
  }

  /** The likely prompt tokens of a request, for expected costs. */
  public static long inputTypical(TokenCounter counter, ProviderRequest request) {
    long n = counter.perRequest() + counter.perMessage() + counter.typical(Prompts.user(request));
    String system = Prompts.system(request, true);
    if (system != null) {
      n += counter.perMessage() + counter.typical(system);
    }
    return n;
  }

  /**
   * The most output tokens to ask for: the task's value, but never above the instance's configured cap (a template
   * that asks for more does not lift it), else the instance's default.
   *
   * @param requested the request's {@code maxOutputTokens}, or null
   * @param cap the instance's configured {@code maxOutputTokens}, or null when it is not configured
   * @param defaultValue what to ask for when neither is set
   */
  public static int maxOutput(@Nullable Integer requested, @Nullable Integer cap, int defaultValue) {
    int n;
    if (requested == null) {
      n = cap == null ? defaultValue : cap;
    } else {
      n = cap == null ? requested : Math.min(requested, cap);
    }
    return Math.max(1, n);
  }

  /**
   * The estimate of a call to {@code model} on an instance: bounded by its price when it has one, else reserved at the
   * instance's {@code maxCostPerCall}, else unknown with the reason and the fix.
   */
  public static CostEstimate estimate(Pricing pricing, String type, @Nullable String model, ProviderRequest request,
      int maxOutputTokens, double outputTokensPerSecond, Duration firstTokenLatency) {
    TokenCounter counter = counterFor(type, model);
    Optional<ModelPrice> price = pricing.priceOf(model);
    if (price.isPresent()) {
      return bounded(price.get(), counter, request, maxOutputTokens, outputTokensPerSecond, firstTokenLatency);
    }
    String why = "provider '" + pricing.provider() + "' (type " + type + ") cannot bound the cost of a call: model '"
        + model + "' has no price; set maxCostPerCall on provider '" + pricing.provider() + "', or price.input and"
        + " price.output (or add the model to a pricingFile)";
    return unbounded(pricing.maxCostPerCall(), why, expectedUsage(counter, request, maxOutputTokens),
        duration(maxOutputTokens, outputTokensPerSecond, firstTokenLatency));
  }

  /**
   * low = the likely input alone; expected = the likely input and a typical reply; high = the bounded input and every
   * output token allowed (what budgets reserve).
   */
  public static CostEstimate bounded(ModelPrice price, TokenCounter counter, ProviderRequest request,
      int maxOutputTokens, double outputTokensPerSecond, Duration firstTokenLatency) {
    long maxOut = Math.max(1, maxOutputTokens);
    TokenUsage expectedUsage = expectedUsage(counter, request, maxOut);
    Money high = price.cost(TokenUsage.of(inputBound(counter, request), maxOut));
    Money expected = min(price.cost(expectedUsage), high);
    Money low = min(price.cost(TokenUsage.of(expectedUsage.inputTokens(), 0)), expected);
    return CostEstimate.builder().expectedUsage(expectedUsage).low(low).expected(expected).high(high)
        .expectedDuration(duration(maxOut, outputTokensPerSecond, firstTokenLatency)).build();
  }

  /**
   * The estimate of a call nothing bounds: with a per-call cap, low = 0, expected = half the cap, high = the cap;
   * without one, {@link CostEstimate#unknown} with {@code why}.
   */
  public static CostEstimate unbounded(@Nullable Money maxCostPerCall, String why, TokenUsage expectedUsage,
      Duration expectedDuration) {
    if (maxCostPerCall == null) {
      return CostEstimate.unknown(why, expectedDuration);
    }
    return CostEstimate.builder().expectedUsage(expectedUsage).expected(maxCostPerCall.times(HALF))
        .high(maxCostPerCall).expectedDuration(expectedDuration).build();
  }

  /** The likely usage: the likely input and a typical reply. */
  public static TokenUsage expectedUsage(TokenCounter counter, ProviderRequest request, long maxOutputTokens) {
    return TokenUsage.of(inputTypical(counter, request), Math.min(Math.max(1, maxOutputTokens),
        TYPICAL_OUTPUT_TOKENS));
  }

  /** The first token's latency plus a typical reply at the given speed. */
  public static Duration duration(long maxOutputTokens, double outputTokensPerSecond, Duration firstTokenLatency) {
    long typical = Math.min(Math.max(1, maxOutputTokens), TYPICAL_OUTPUT_TOKENS);
    return firstTokenLatency.plusMillis((long) (typical * 1000 / outputTokensPerSecond));
  }

  private static Money min(Money a, Money b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
