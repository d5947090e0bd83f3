package dev.orchestrator.providers.internal;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Costs one provider instance's calls. Reads, in order: the instance's own prices ({@code price.input},
 * {@code price.output}, {@code price.cachedInput}, {@code price.cacheWrite}), the table (bundled, overlaid by
 * {@code pricingFile}) for the model that answered, then for the configured model, and finally the default price
 * ({@code defaultPrice.input}, {@code defaultPrice.output}; USD 15 and 75 per million unless set), logging one
 * warning per unknown model. Never costs an unknown model at zero unless the user says so. Thread-safe.
 */
public final class Pricing {
  private static final Logger log = LoggerFactory.getLogger(Pricing.class);
  static final BigDecimal DEFAULT_INPUT = new BigDecimal("15");
  static final BigDecimal DEFAULT_OUTPUT = new BigDecimal("75");

  private final String provider;
  private final String configuredModel;
  private final PriceTable table;
  private final @Nullable ModelPrice override;
  private final ModelPrice fallback;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public Pricing(String provider, String configuredModel, PriceTable table, @Nullable ModelPrice override,
      ModelPrice fallback) {
    this.provider = provider;
    this.configuredModel = configuredModel;
    this.table = table;
    this.override = override;
    this.fallback = fallback;
  }

  /** Pricing configured from an instance's properties. */
  public static Pricing from(Settings s, String configuredModel) {
    PriceTable table = PriceTable.bundled();
    String file = s.optional("pricingFile");
    if (file != null) {
      table = table.overlay(Path.of(file));
    }
    ModelPrice override = null;
    BigDecimal in = s.money("price.input");
    BigDecimal out = s.money("price.output");
    if (in != null || out != null) {
      if (in == null || out == null) {
        throw s.invalid(in == null ? "price.input" : "price.output", "",
            "set together with the other: both price.input and price.output are needed to price a model");
      }
      BigDecimal cached = s.money("price.cachedInput");
      BigDecimal write = s.money("price.cacheWrite");
      BigDecimal w = write == null ? in : write;
      override = new ModelPrice(new Rates(in, out, cached == null ? in : cached, w, w, in, out, in, out), null,
          BigDecimal.ONE, null, null);
    }
    BigDecimal defIn = s.money("defaultPrice.input");
    BigDecimal defOut = s.money("defaultPrice.output");
    ModelPrice fallback = ModelPrice.of(defIn == null ? DEFAULT_INPUT : defIn, defOut == null ? DEFAULT_OUTPUT : defOut);
    return new Pricing(s.name(), configuredModel, table, override, fallback);
  }

  /** The price for the model that answered (or the configured one when the reply names none). */
  public ModelPrice priceOf(@Nullable String answeringModel) {
    if (override != null) {
      return override;
    }
    Optional<ModelPrice> p = answeringModel == null ? Optional.empty() : table.find(answeringModel);
    if (p.isEmpty()) {
      p = table.find(configuredModel);
    }
    if (p.isPresent()) {
      return p.get();
    }
    String model = (answeringModel == null ? configuredModel : answeringModel).toLowerCase(Locale.ROOT);
    if (warned.add(model)) {
      log.warn("Unknown model priced at the default price (provider={}, model={}, inputPerMillion={},"
          + " outputPerMillion={}): set price.input and price.output on the provider, or add the model to a"
          + " pricingFile", provider, model, fallback.input(), fallback.output());
    }
    return fallback;
  }

  public Money cost(@Nullable String answeringModel, TokenUsage usage) {
    return priceOf(answeringModel).cost(usage);
  }
}
