package dev.orchestrator.providers.http;

import dev.orchestrator.CostBasis;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Costs one provider instance's calls. Reads, in order: the instance's own price ({@code price.*}), then the table
 * (bundled, overlaid by {@code pricingFile}) for the model that answered, then for the configured model. A model none
 * of them covers is <em>unpriced</em>: its calls cost zero with {@link CostBasis#UNPRICED}, and one warning per model
 * says how to price it. Nothing is ever costed at a guessed price. Thread-safe.
 */
public final class Pricing {
  private static final Logger log = LoggerFactory.getLogger(Pricing.class);

  private final String provider;
  private final @Nullable String configuredModel;
  private final PriceTable table;
  private final @Nullable ModelPrice override;
  private final @Nullable Money maxCostPerCall;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /** Pricing from a table, with an instance's own price (or null) and per-call cap (or null). */
  public Pricing(String provider, @Nullable String configuredModel, PriceTable table, @Nullable ModelPrice override,
      @Nullable Money maxCostPerCall) {
    this.provider = provider;
    this.configuredModel = configuredModel;
    this.table = table;
    this.override = override;
    this.maxCostPerCall = maxCostPerCall;
  }

  /**
   * Pricing configured from an instance's properties ({@code price.*}, {@code pricingFile}, {@code maxCostPerCall})
   * for its configured model, or null when it names none.
   *
   * @throws IllegalArgumentException for an unknown {@code price.*} key, a removed {@code defaultPrice.*} key, or a
   *     value out of range; the message names the property and the fix
   */
  public static Pricing from(Settings s, @Nullable String configuredModel) {
    return from(s, configuredModel, PriceTable.bundled());
  }

  /**
   * As {@link #from(Settings, String)}, over a plugin's own table instead of the bundled one.
   *
   * @throws IllegalArgumentException as {@link #from(Settings, String)}
   */
  public static Pricing from(Settings s, @Nullable String configuredModel, PriceTable prices) {
    ModelPrice override = PriceSettings.price(s);
    Money cap = PriceSettings.maxCostPerCall(s);
    PriceTable table = prices;
    String file = s.optional("pricingFile");
    if (file != null) {
      table = table.overlay(Path.of(file));
    }
    return new Pricing(s.name(), configuredModel, table, override, cap);
  }

  /** The instance's name, for messages. */
  public String provider() {
    return provider;
  }

  /** The most one call is taken to cost when its cost cannot be bounded otherwise, or null when unset. */
  public @Nullable Money maxCostPerCall() {
    return maxCostPerCall;
  }

  /**
   * The price for the model that answered (or the configured one when the reply names none or the table does not
   * know the answering one), or empty when the model is unpriced; the first time a model is found unpriced, logs a
   * warning that says how to price it.
   */
  public Optional<ModelPrice> priceOf(@Nullable String answeringModel) {
    if (override != null) {
      return Optional.of(override);
    }
    Optional<ModelPrice> p = answeringModel == null ? Optional.empty() : table.find(answeringModel);
    if (p.isEmpty() && configuredModel != null) {
      p = table.find(configuredModel);
    }
    String named = answeringModel != null ? answeringModel : configuredModel;
    if (p.isEmpty() && named != null) {
      String model = named.toLowerCase(Locale.ROOT);
      if (warned.add(model)) {
        log.warn("Model has no price: its calls are recorded at zero as unpriced and budgeted tasks are not started"
            + " on it (provider={}, model={}): set price.input and price.output on provider '{}', or add the model"
            + " to a pricingFile", provider, model, provider);
      }
    }
    return p;
  }

  /** How the cost of a reply from this model is found: {@link CostBasis#UNPRICED} when it has no price. */
  public CostBasis basis(@Nullable String answeringModel) {
    return priceOf(answeringModel).isPresent() ? CostBasis.MEASURED : CostBasis.UNPRICED;
  }

  /** What a call with this usage cost, exactly; zero for an unpriced model (see {@link #basis}). */
  public Money cost(@Nullable String answeringModel, TokenUsage usage) {
    return priceOf(answeringModel).map(p -> p.cost(usage)).orElse(Money.ZERO);
  }
}
