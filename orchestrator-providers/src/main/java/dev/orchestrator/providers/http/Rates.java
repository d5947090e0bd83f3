package dev.orchestrator.providers.http;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One price tier's rates, in US dollars per million tokens. Every rate a vendor does not list separately is given the
 * rate it bills instead (a cache write at the input rate when writes are not charged apart, audio at the text rate
 * when audio is not priced apart), so a rate is never zero by omission.
 *
 * @param input uncached text (and any other) prompt tokens
 * @param output generated text tokens, reasoning included
 * @param cachedInput prompt tokens read from the cache
 * @param cacheWrite prompt tokens written to the cache for the default time to live (Anthropic: five minutes)
 * @param cacheWrite1h prompt tokens written to the cache for one hour
 * @param audioInput audio prompt tokens
 * @param audioOutput generated audio tokens
 * @param imageInput image prompt tokens
 * @param imageOutput generated image tokens
 */
public record Rates(BigDecimal input, BigDecimal output, BigDecimal cachedInput, BigDecimal cacheWrite,
    BigDecimal cacheWrite1h, BigDecimal audioInput, BigDecimal audioOutput, BigDecimal imageInput,
    BigDecimal imageOutput) {

  public Rates {
    for (Map.Entry<String, BigDecimal> e : asMap(input, output, cachedInput, cacheWrite, cacheWrite1h, audioInput,
        audioOutput, imageInput, imageOutput).entrySet()) {
      Objects.requireNonNull(e.getValue(), e.getKey());
      if (e.getValue().signum() < 0) {
        throw new IllegalArgumentException("price " + e.getKey() + " must not be negative (was " + e.getValue()
            + "): give USD per million tokens, such as 2.50");
      }
    }
  }

  /** The rates' names, as pricing files and {@code price.*} properties spell them. */
  public static final List<String> NAMES = List.of("input", "output", "cachedInput", "cacheWrite", "cacheWrite1h",
      "audioInput", "audioOutput", "imageInput", "imageOutput");

  /** Text-only rates: cache reads and writes, audio and images at the input and output rates. */
  public static Rates of(BigDecimal input, BigDecimal output) {
    return of(input, output, name -> null);
  }

  /**
   * Rates from input, output and the other rates {@code given} names (null for one not given): each rate left out is
   * billed at the rate vendors bill instead: cache reads and writes and media input at the input rate, one-hour
   * writes at the write rate, media output at the output rate.
   */
  public static Rates of(BigDecimal input, BigDecimal output, Function<String, @Nullable BigDecimal> given) {
    BigDecimal write = or(given.apply("cacheWrite"), input);
    return new Rates(input, output, or(given.apply("cachedInput"), input), write,
        or(given.apply("cacheWrite1h"), write), or(given.apply("audioInput"), input),
        or(given.apply("audioOutput"), output), or(given.apply("imageInput"), input),
        or(given.apply("imageOutput"), output));
  }

  private static BigDecimal or(@Nullable BigDecimal v, BigDecimal fallback) {
    return v == null ? fallback : v;
  }

  /** The rates by the names a pricing file uses. */
  public Map<String, BigDecimal> byName() {
    return asMap(input, output, cachedInput, cacheWrite, cacheWrite1h, audioInput, audioOutput, imageInput,
        imageOutput);
  }

  private static Map<String, BigDecimal> asMap(BigDecimal input, BigDecimal output, BigDecimal cachedInput,
      BigDecimal cacheWrite, BigDecimal cacheWrite1h, BigDecimal audioInput, BigDecimal audioOutput,
      BigDecimal imageInput, BigDecimal imageOutput) {
    Map<String, BigDecimal> m = new LinkedHashMap<>();
    m.put("input", input);
    m.put("output", output);
    m.put("cachedInput", cachedInput);
    m.put("cacheWrite", cacheWrite);
    m.put("cacheWrite1h", cacheWrite1h);
    m.put("audioInput", audioInput);
    m.put("audioOutput", audioOutput);
    m.put("imageInput", imageInput);
    m.put("imageOutput", imageOutput);
    return m;
  }
}
