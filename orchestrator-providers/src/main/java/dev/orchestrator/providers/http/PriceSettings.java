package dev.orchestrator.providers.http;

import dev.orchestrator.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads an instance's own prices ({@code price.*}) and its per-call cap ({@code maxCostPerCall}). Every {@code price.*}
 * key outside the known set is refused by name, so a misspelled rate is an error rather than a rate silently left at
 * its default; the removed {@code defaultPrice.*} keys are refused with what to do instead.
 */
final class PriceSettings {
  static final String PREFIX = "price.";
  static final String LONG_CONTEXT = "longContext.";
  static final String ABOVE = "aboveInputTokens";
  static final String BATCH = "batch";
  static final List<String> RATES = Rates.NAMES;

  private PriceSettings() {}

  /** Every {@code price.*} key an instance accepts, in the order the docs list them. */
  static List<String> keys() {
    List<String> keys = new ArrayList<>();
    RATES.forEach(r -> keys.add(PREFIX + r));
    keys.add(PREFIX + BATCH);
    keys.add(PREFIX + LONG_CONTEXT + ABOVE);
    RATES.forEach(r -> keys.add(PREFIX + LONG_CONTEXT + r));
    return keys;
  }

  /** The instance's own price, or null when it sets none (the table then prices its models). */
  static @Nullable ModelPrice price(Settings s) {
    refuseRemoved(s);
    Map<String, String> given = s.withPrefix(PREFIX);
    List<String> valid = keys();
    for (String k : given.keySet()) {
      if (!valid.contains(PREFIX + k)) {
        throw s.invalid(PREFIX + k, given.get(k), "one of " + valid + " (names are case-sensitive)");
      }
    }
    if (given.isEmpty()) {
      return null;
    }
    Rates base = rates(s, PREFIX, "a price");
    ModelPrice.LongContext tier = longContext(s);
    BigDecimal batch = share(s);
    try {
      return new ModelPrice(base, tier, batch, null, null);
    } catch (IllegalArgumentException e) {
      throw s.invalid(PREFIX + BATCH, s.string(PREFIX + BATCH, ""), "a share above 0 and at most 1, such as 0.5");
    }
  }

  /** The most one call of this instance is taken to cost when nothing else bounds it, or null. */
  static @Nullable Money maxCostPerCall(Settings s) {
    String v = s.optional("maxCostPerCall");
    if (v == null) {
      return null;
    }
    Money cap = s.config().money("maxCostPerCall", Money.ZERO);
    if (cap.isZero()) {
      throw s.invalid("maxCostPerCall", v, "an amount in USD above 0, such as 0.50");
    }
    return cap;
  }

  private static void refuseRemoved(Settings s) {
    s.withPrefix("defaultPrice.").forEach((k, v) -> {
      throw s.invalid("defaultPrice." + k, v, "removed: a model without a price is no longer costed at a default"
          + " price but is unpriced; set price.input and price.output, or add the model to a pricingFile, and"
          + " maxCostPerCall to bound calls to models without a price");
    });
  }

  /** One tier's rates: input and output are needed; every other rate defaults to the one vendors bill instead. */
  private static Rates rates(Settings s, String prefix, String what) {
    BigDecimal in = s.money(prefix + "input");
    BigDecimal out = s.money(prefix + "output");
    if (in == null || out == null) {
      String missing = prefix + (in == null ? "input" : "output");
      throw s.invalid(missing, "", "set: " + what + " needs both " + prefix + "input and " + prefix + "output");
    }
    return Rates.of(in, out, name -> s.money(prefix + name));
  }

  private static ModelPrice.@Nullable LongContext longContext(Settings s) {
    String prefix = PREFIX + LONG_CONTEXT;
    if (s.withPrefix(prefix).isEmpty()) {
      return null;
    }
    String key = prefix + ABOVE;
    if (s.optional(key) == null) {
      throw s.invalid(key, "", "set with the other " + prefix + "* keys: the input tokens above which every token"
          + " of a call is billed at the tier's rates, such as 200000");
    }
    long above = s.longValue(key, 0, 1);
    return new ModelPrice.LongContext(above, rates(s, prefix, "the long-context tier"));
  }

  private static BigDecimal share(Settings s) {
    String v = s.optional(PREFIX + BATCH);
    if (v == null) {
      return BigDecimal.ONE;
    }
    try {
      return new BigDecimal(v);
    } catch (NumberFormatException e) {
      throw s.invalid(PREFIX + BATCH, v, "a share above 0 and at most 1, such as 0.5");
    }
  }
}
