package dev.orchestrator.providers.http;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Prices per model, read from the JSON pricing table shipped as {@code dev/orchestrator/providers/pricing.json} and
 * optionally overlaid by a user's file of the same shape (an entry of the file replaces the whole entry of the same
 * name). Immutable and thread-safe.
 *
 * <p><b>Matching is exact.</b> A model id (any case) is priced by the entry of that name, or by the entry that lists
 * it among its {@code aliases}, or, for a dated snapshot ({@code gpt-5-2025-08-07}, {@code claude-sonnet-4-5-20250929}),
 * by the entry of the id without its date. Nothing else matches: {@code gpt-5-pro} is not {@code gpt-5}, and a model
 * the table does not name is unpriced.
 *
 * <p><b>Unknown keys are refused by name</b>, so a misspelled rate ({@code cached_input}) is an error, not a rate
 * silently left at its default.
 *
 * <pre>{@code
 * {"currency": "USD", "unit": "USD per 1,000,000 tokens",
 *  "models": {"my-model": {"input": "2.50", "output": "10.00", "cachedInput": "1.25", "aliases": ["my-model-latest"],
 *                          "longContext": {"aboveInputTokens": 200000, "input": "5.00", "output": "15.00"}}}}
 * }</pre>
 */
public final class PriceTable {
  /** The classpath resource of the bundled table. */
  public static final String RESOURCE = "/dev/orchestrator/providers/pricing.json";
  private static final Pattern DATED = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");
  private static final Set<String> TABLE_KEYS = Set.of("currency", "unit", "asOf", "note", "sources", "models");
  private static final List<String> RATE_KEYS = Rates.NAMES;
  private static final Set<String> ENTRY_KEYS = Set.of("longContext", "batch", "aliases", "asOf", "source", "note");
  private static final String TIER_THRESHOLD = "aboveInputTokens";
  private static final PriceTable BUNDLED = load();

  private final Map<String, ModelPrice> prices;
  private final Map<String, String> aliases;

  private PriceTable(Map<String, ModelPrice> prices, Map<String, String> aliases) {
    this.prices = Map.copyOf(prices);
    this.aliases = Map.copyOf(aliases);
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
      return empty().plus(Json.MAPPER.readTree(in), RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pricing table " + RESOURCE, e);
    }
  }

  /**
   * A table with no entries, for a plugin's own prices:
   * {@code PriceTable.empty().with("model-1", ModelPrice.of(new BigDecimal("0.40"), new BigDecimal("2.00")))}.
   */
  public static PriceTable empty() {
    return new PriceTable(Map.of(), Map.of());
  }

  /** A table read from JSON text of the bundled table's shape, alone. */
  public static PriceTable parse(String json, String source) {
    try {
      return empty().plus(Json.MAPPER.readTree(json), source);
    } catch (IOException e) {
      throw new IllegalArgumentException("pricing table " + source + " is not JSON (" + e.getMessage()
          + "): give an object shaped like " + RESOURCE, e);
    }
  }

  /** This table with the entries of a JSON file of the same shape laid over it. */
  public PriceTable overlay(Path file) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the pricing file " + file + " (" + e.getMessage()
          + "): give a readable JSON file shaped like " + RESOURCE, e);
    }
    return plus(root, file.toString());
  }

  /** This table with one entry added or replaced. */
  public PriceTable with(String model, ModelPrice price) {
    Map<String, ModelPrice> merged = new TreeMap<>(prices);
    merged.put(model.toLowerCase(Locale.ROOT), price);
    return new PriceTable(merged, aliases);
  }

  /** The price of a model: its own entry, an entry naming it as an alias, or its undated snapshot's entry. */
  public Optional<ModelPrice> find(String model) {
    String entry = entryOf(model);
    return entry == null ? Optional.empty() : Optional.ofNullable(prices.get(entry));
  }

  /** The name of the entry that prices a model, or null when none does. */
  public @Nullable String entryOf(String model) {
    String m = model.trim().toLowerCase(Locale.ROOT);
    String hit = exact(m);
    if (hit == null && DATED.matcher(m).find()) {
      hit = exact(DATED.matcher(m).replaceFirst(""));
    }
    return hit;
  }

  private @Nullable String exact(String m) {
    if (prices.containsKey(m)) {
      return m;
    }
    return aliases.get(m);
  }

  /** The number of models priced. */
  public int size() {
    return prices.size();
  }

  private PriceTable plus(JsonNode root, String source) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("pricing table " + source + " must be a JSON object shaped like " + RESOURCE);
    }
    refuseUnknown(root, TABLE_KEYS, "pricing table " + source);
    String currency = root.path("currency").asText("USD");
    if (!currency.equals("USD")) {
      throw new IllegalArgumentException("pricing table " + source + " must be in USD (was " + currency
          + "): amounts are US dollars in this release");
    }
    JsonNode models = root.get("models");
    if (models == null || !models.isObject()) {
      throw new IllegalArgumentException("pricing table " + source + " needs an object \"models\" mapping model ids"
          + " to rates such as {\"input\": \"2.50\", \"output\": \"10.00\"}");
    }
    Map<String, String> sources = new LinkedHashMap<>();
    root.path("sources").fields().forEachRemaining(e -> sources.put(e.getKey(), e.getValue().asText()));
    Map<String, ModelPrice> merged = new TreeMap<>(prices);
    Map<String, String> mergedAliases = new TreeMap<>(aliases);
    Set<String> modelsHere = new java.util.HashSet<>();
    models.fieldNames().forEachRemaining(k -> modelsHere.add(k.toLowerCase(Locale.ROOT)));
    Iterator<Map.Entry<String, JsonNode>> it = models.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String model = e.getKey().toLowerCase(Locale.ROOT);
      String where = "pricing table " + source + " model '" + e.getKey() + "'";
      mergedAliases.values().removeIf(model::equals); // the replaced entry's aliases go with it
      mergedAliases.remove(model); // an entry of its own wins over an earlier table's alias
      merged.put(model, entry(e.getValue(), where, sources));
      for (JsonNode a : e.getValue().path("aliases")) {
        String alias = a.asText().toLowerCase(Locale.ROOT);
        String other = mergedAliases.get(alias);
        boolean isModel = modelsHere.contains(alias) || merged.containsKey(alias);
        if (isModel || (other != null && !other.equals(model))) {
          throw new IllegalArgumentException(where + " alias '" + alias + "' already names "
              + (isModel ? "a model" : "model '" + other + "'") + ": give each alias once");
        }
        mergedAliases.put(alias, model);
      }
    }
    return new PriceTable(merged, mergedAliases);
  }

  private static ModelPrice entry(JsonNode p, String where, Map<String, String> sources) {
    if (!p.isObject()) {
      throw new IllegalArgumentException(where + " must be an object of rates such as {\"input\": \"2.50\","
          + " \"output\": \"10.00\"}");
    }
    refuseUnknown(p, union(RATE_KEYS, ENTRY_KEYS), where);
    Rates base = rates(p, where);
    ModelPrice.LongContext tier = null;
    JsonNode lc = p.get("longContext");
    if (lc != null) {
      String tierWhere = where + " longContext";
      if (!lc.isObject()) {
        throw new IllegalArgumentException(tierWhere + " must be an object such as {\"aboveInputTokens\": 200000,"
            + " \"input\": \"6.00\", \"output\": \"22.50\"}");
      }
      refuseUnknown(lc, union(RATE_KEYS, Set.of(TIER_THRESHOLD)), tierWhere);
      JsonNode above = lc.get(TIER_THRESHOLD);
      if (above == null || !above.canConvertToLong()) {
        throw new IllegalArgumentException(tierWhere + " needs \"" + TIER_THRESHOLD + "\": the input tokens above"
            + " which every token is billed at the tier's rates, such as 200000");
      }
      tier = new ModelPrice.LongContext(above.asLong(), rates(lc, tierWhere));
    }
    BigDecimal batch = p.has("batch") ? decimal(p.get("batch"), "batch", where) : BigDecimal.ONE;
    LocalDate asOf = null;
    String date = Json.text(p, "asOf");
    if (date != null) {
      try {
        asOf = LocalDate.parse(date);
      } catch (DateTimeParseException ex) {
        throw new IllegalArgumentException(where + " asOf must be a date such as 2025-08-01 (was '" + date + "')",
            ex);
      }
    }
    String src = Json.text(p, "source");
    try {
      return new ModelPrice(base, tier, batch, asOf, src == null ? null : sources.getOrDefault(src, src));
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
    }
  }

  /** Rates of one tier: input and output are needed; each other rate defaults to the one a vendor bills instead. */
  private static Rates rates(JsonNode p, String where) {
    return Rates.of(required(p, "input", where), required(p, "output", where), name -> optional(p, name, where));
  }

  private static BigDecimal required(JsonNode p, String field, String where) {
    JsonNode v = p.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(where + " needs \"" + field + "\": a price in USD per million tokens such"
          + " as \"2.50\"");
    }
    return decimal(v, field, where);
  }

  private static @Nullable BigDecimal optional(JsonNode p, String field, String where) {
    JsonNode v = p.get(field);
    return v == null || v.isNull() ? null : decimal(v, field, where);
  }

  private static BigDecimal decimal(JsonNode v, String field, String where) {
    try {
      BigDecimal d = new BigDecimal(v.asText().trim());
      if (d.signum() < 0) {
        throw new NumberFormatException("negative");
      }
      return d;
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException(where + " " + field + " must be a number >= 0 such as \"2.50\" (was '"
          + v.asText() + "')", ex);
    }
  }

  private static void refuseUnknown(JsonNode node, Set<String> known, String where) {
    node.fieldNames().forEachRemaining(k -> {
      if (!known.contains(k)) {
        throw new IllegalArgumentException(where + " has an unknown key '" + k + "': the keys are "
            + new java.util.TreeSet<>(known) + " (names are case-sensitive)");
      }
    });
  }

  private static Set<String> union(List<String> a, Set<String> b) {
    Set<String> out = new java.util.HashSet<>(a);
    out.addAll(b);
    return out;
  }
}
