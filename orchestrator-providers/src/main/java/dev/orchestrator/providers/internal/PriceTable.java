package dev.orchestrator.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Prices per model, read from the JSON pricing table shipped as {@code dev/orchestrator/providers/pricing.json} and
 * optionally overlaid by a user's file of the same shape. A model id matches its own entry, or else the longest entry
 * it starts with followed by {@code -}, {@code :} or {@code @} ({@code gpt-4o-2024-08-06} is priced as
 * {@code gpt-4o}). Immutable and thread-safe.
 *
 * <pre>{@code
 * {"currency": "USD", "unit": "per 1M tokens",
 *  "models": {"gpt-4o": {"input": "2.50", "output": "10.00", "cachedInput": "1.25", "cacheWrite": "2.50",
 *                        "asOf": "2025-08-01"}}}
 * }</pre>
 */
public final class PriceTable {
  public static final String RESOURCE = "/dev/orchestrator/providers/pricing.json";
  private static final PriceTable BUNDLED = load();

  private final Map<String, ModelPrice> prices;

  private PriceTable(Map<String, ModelPrice> prices) {
    this.prices = Map.copyOf(prices);
  }

  /** The table shipped with this module. */
  public static PriceTable bundled() {
    return BUNDLED;
  }

  private static PriceTable load() {
    try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the pricing table " + RESOURCE + " is missing from the classpath");
      }
      return new PriceTable(parse(Json.MAPPER.readTree(in), RESOURCE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pricing table " + RESOURCE, e);
    }
  }

  /** This table with the entries of a JSON file of the same shape laid over it. */
  public PriceTable overlay(Path file) {
    try {
      Map<String, ModelPrice> merged = new TreeMap<>(prices);
      merged.putAll(parse(Json.MAPPER.readTree(Files.readString(file)), file.toString()));
      return new PriceTable(merged);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the pricing file " + file + " (" + e.getMessage()
          + "): give a readable JSON file shaped like " + RESOURCE, e);
    }
  }

  /** This table with one entry added or replaced. */
  public PriceTable with(String model, ModelPrice price) {
    Map<String, ModelPrice> merged = new TreeMap<>(prices);
    merged.put(model.toLowerCase(Locale.ROOT), price);
    return new PriceTable(merged);
  }

  /** The price of a model, by exact id or longest matching prefix. */
  public Optional<ModelPrice> find(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0 && !prices.containsKey(m)) {
      m = m.substring(slash + 1); // "openai/gpt-4o" on routers such as OpenRouter
    }
    ModelPrice exact = prices.get(m);
    if (exact != null) {
      return Optional.of(exact);
    }
    String best = null;
    for (String key : prices.keySet()) {
      if (m.length() > key.length() && m.startsWith(key) && "-:@".indexOf(m.charAt(key.length())) >= 0
          && (best == null || key.length() > best.length())) {
        best = key;
      }
    }
    return best == null ? Optional.empty() : Optional.of(prices.get(best));
  }

  /** The number of models priced. */
  public int size() {
    return prices.size();
  }

  private static Map<String, ModelPrice> parse(JsonNode root, String source) {
    JsonNode models = root.get("models");
    if (models == null || !models.isObject()) {
      throw new IllegalArgumentException("pricing table " + source + " needs an object \"models\" mapping model ids"
          + " to {\"input\", \"output\", \"cachedInput\", \"cacheWrite\", \"asOf\"}");
    }
    String currency = root.path("currency").asText("USD");
    if (!currency.equals("USD")) {
      throw new IllegalArgumentException("pricing table " + source + " must be in USD (was " + currency + ")");
    }
    Map<String, ModelPrice> out = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = models.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode p = e.getValue();
      BigDecimal input = decimal(p, "input", source, e.getKey(), null);
      BigDecimal output = decimal(p, "output", source, e.getKey(), null);
      BigDecimal cached = decimal(p, "cachedInput", source, e.getKey(), input);
      BigDecimal write = decimal(p, "cacheWrite", source, e.getKey(), input);
      LocalDate asOf = null;
      String date = Json.text(p, "asOf");
      if (date != null) {
        try {
          asOf = LocalDate.parse(date);
        } catch (DateTimeParseException ex) {
          throw new IllegalArgumentException("pricing table " + source + " model '" + e.getKey()
              + "' asOf must be a date such as 2025-08-01 (was '" + date + "')", ex);
        }
      }
      out.put(e.getKey().toLowerCase(Locale.ROOT), new ModelPrice(input, output, cached, write, asOf));
    }
    return out;
  }

  private static BigDecimal decimal(JsonNode p, String field, String source, String model, BigDecimal fallback) {
    JsonNode v = p.get(field);
    if (v == null || v.isNull()) {
      if (fallback != null) {
        return fallback;
      }
      throw new IllegalArgumentException("pricing table " + source + " model '" + model + "' needs \"" + field
          + "\": a price in USD per million tokens such as \"2.50\"");
    }
    try {
      BigDecimal d = new BigDecimal(v.asText());
      if (d.signum() < 0) {
        throw new NumberFormatException("negative");
      }
      return d;
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("pricing table " + source + " model '" + model + "' " + field
          + " must be a price >= 0 such as \"2.50\" (was '" + v.asText() + "')", ex);
    }
  }
}
