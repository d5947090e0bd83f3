package dev.orchestrator.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.learn.ShadowPolicy;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.spi.ConfigValues;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The configuration file ({@code <data dir>/config.json} by default): provider instances, whether instances
 * without a key run on the simulator, budgets, policies and notifications. Immutable.
 *
 * @param file where it was read from
 * @param instances provider instances by lower-case name, in file order: each a type and string properties
 * @param simulateMissingKeys whether an instance whose API key is missing runs on the simulator
 * @param simulator properties given to every simulated instance
 * @param defaultProvider the instance of tasks that name none, or null
 * @param timeZone where a day starts for daily budgets
 * @param budgets limits saved to the store when it has none for their scope
 * @param maxConcurrentCalls the default concurrency limit per instance
 * @param instanceLimits concurrency limits per instance
 * @param retry the retry policy
 * @param breaker the circuit breaker policy
 * @param notifications the {@code notifications} object as JSON text, or null
 * @param learning the learning strategy of every project without its own ({@code "learning"}), or null
 * @param projectLearning the learning strategies of single projects ({@code "projects": {"<name>": {"learning":
 *     ...}}}), by project name
 * @param shadow shadow evaluation ({@code "shadow"}: a cheaper candidate compared on a sample of tasks), or null
 */
public record Config(Path file, Map<String, Instance> instances, boolean simulateMissingKeys,
    Map<String, String> simulator, @Nullable String defaultProvider, ZoneId timeZone, List<Budget> budgets,
    int maxConcurrentCalls, Map<String, Integer> instanceLimits, RetryPolicy retry, CircuitBreakerPolicy breaker,
    @Nullable String notifications, @Nullable Learning learning, Map<String, Learning> projectLearning,
    @Nullable ShadowPolicy shadow) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TOP = Set.of("$schema", "description", "providers", "simulateMissingKeys",
      "simulator", "defaultProvider", "timeZone", "budgets", "policies", "notifications", "learning", "projects",
      "shadow");

  /**
   * A provider instance.
   *
   * @param name lower-case name
   * @param type plugin type
   * @param properties plain string settings
   */
  public record Instance(String name, String type, Map<String, String> properties) {
    public Instance {
      properties = Map.copyOf(properties);
    }
  }

  /**
   * A learning strategy named in the configuration: {@code {"strategy": "adaptive", "seed": "42", ...}}.
   *
   * @param strategy the factory's name, in lower case
   * @param properties the other fields, as strings
   */
  public record Learning(String strategy, Map<String, String> properties) {
    public Learning {
      properties = Map.copyOf(properties);
    }
  }

  public Config {
    projectLearning = Map.copyOf(projectLearning);
    instances = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(instances));
    simulator = Map.copyOf(simulator);
    budgets = List.copyOf(budgets);
    instanceLimits = Map.copyOf(instanceLimits);
  }

  /** The default configuration shipped in the jar, as text. */
  public static String defaultText() {
    try (InputStream in = Config.class.getResourceAsStream("/dev/orchestrator/cli/default-config.json")) {
      return new String(Objects.requireNonNull(in, "default-config.json").readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the default configuration from the jar", e);
    }
  }

  /**
   * Reads {@code file}; when it does not exist and {@code createIfMissing}, writes the default there first.
   *
   * @throws CliException naming the file, the field and the fix when the file is wrong
   */
  public static Config load(Path file, boolean createIfMissing) {
    String text;
    if (!Files.exists(file)) {
      if (!createIfMissing) {
        throw CliException.of(ExitCodes.CONFIG, "config.missing", file);
      }
      text = defaultText();
      try {
        // Processes starting together on a new data directory all find it missing: the first one's file stands,
        // and nobody reads a half-written one.
        if (!AtomicFiles.createIfAbsent(file, text)) {
          text = Files.readString(file);
        }
      } catch (IOException e) {
        throw CliException.wrap(e, ExitCodes.CONFIG, "config.unwritable", file, e.getMessage());
      }
    } else {
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw CliException.wrap(e, ExitCodes.CONFIG, "config.unreadable", file, e.getMessage());
      }
    }
    return parse(file, text);
  }

  /** Parses configuration text; {@code file} names it in messages. */
  public static Config parse(Path file, String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "config.json", file, e.getOriginalMessage(),
          e.getLocation() == null ? 0 : e.getLocation().getLineNr());
    }
    if (root == null || !root.isObject()) {
      throw CliException.of(ExitCodes.CONFIG, "config.notObject", file);
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!TOP.contains(f) && !f.startsWith("x-")) {
        throw CliException.of(ExitCodes.CONFIG, "config.unknownField", file, f, String.join(", ", new java.util.TreeSet<>(TOP)));
      }
    }
    Map<String, Instance> instances = new LinkedHashMap<>();
    JsonNode providers = root.path("providers");
    if (!providers.isMissingNode()) {
      if (!providers.isObject()) {
        throw CliException.of(ExitCodes.CONFIG, "config.providersShape", file);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = providers.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getKey().trim().toLowerCase(Locale.ROOT);
        JsonNode type = e.getValue().path("type");
        if (!type.isTextual() || type.asText().isBlank()) {
          throw CliException.of(ExitCodes.CONFIG, "config.providerType", file, e.getKey());
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = e.getValue().fields(); p.hasNext(); ) {
          Map.Entry<String, JsonNode> pe = p.next();
          if (!pe.getKey().equals("type")) {
            props.put(pe.getKey(), pe.getValue().isValueNode() ? pe.getValue().asText() : pe.getValue().toString());
          }
        }
        instances.put(name, new Instance(name, type.asText().trim().toLowerCase(Locale.ROOT), props));
      }
    }
    boolean simulate = bool(file, root, "simulateMissingKeys", "simulateMissingKeys", true);
    Map<String, String> simulator = new LinkedHashMap<>();
    root.path("simulator").fields().forEachRemaining(e -> simulator.put(e.getKey(), e.getValue().asText()));
    String defaultProvider = root.hasNonNull("defaultProvider")
        ? root.get("defaultProvider").asText().trim().toLowerCase(Locale.ROOT) : null;
    if (defaultProvider != null && !instances.containsKey(defaultProvider)) {
      throw CliException.of(ExitCodes.CONFIG, "config.unknownProvider", file, "defaultProvider", defaultProvider,
          String.join(", ", instances.keySet()));
    }
    ZoneId zone;
    try {
      zone = root.hasNonNull("timeZone") ? ZoneId.of(root.get("timeZone").asText()) : ZoneId.systemDefault();
    } catch (RuntimeException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "config.timeZone", file, root.get("timeZone").asText());
    }
    List<Budget> budgets = new ArrayList<>();
    for (JsonNode b : root.path("budgets")) {
      budgets.add(budget(file, b, instances.keySet()));
    }
    JsonNode policies = root.path("policies");
    int maxCalls = whole(file, policies, "maxConcurrentCalls", "policies.maxConcurrentCalls", 8);
    if (maxCalls < 1) {
      throw CliException.of(ExitCodes.CONFIG, "config.positive", file, "policies.maxConcurrentCalls", maxCalls);
    }
    Map<String, Integer> limits = new LinkedHashMap<>();
    policies.path("providers").fields().forEachRemaining(e -> {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (!instances.containsKey(name)) {
        throw CliException.of(ExitCodes.CONFIG, "config.unknownProvider", file, "policies.providers", name,
            String.join(", ", instances.keySet()));
      }
      int n = whole(file, e.getValue(), "maxConcurrentCalls", "policies.providers." + name + ".maxConcurrentCalls",
          maxCalls);
      if (n < 1) {
        throw CliException.of(ExitCodes.CONFIG, "config.positive", file,
            "policies.providers." + name + ".maxConcurrentCalls", n);
      }
      limits.put(name, n);
    });
    RetryPolicy retry = RetryPolicy.ofDefaults();
    JsonNode r = policies.path("retry");
    if (r.isObject()) {
      RetryPolicy.Builder rb = RetryPolicy.ofDefaults().toBuilder();
      try {
        if (r.has("maxAttempts")) {
          rb.maxAttempts(whole(file, r, "maxAttempts", "policies.retry.maxAttempts", 0));
        }
        if (r.has("delay") || r.has("maxDelay")) {
          rb.backoff(ConfigValues.parseDuration("delay", r.path("delay").asText("1m")),
              ConfigValues.parseDuration("maxDelay", r.path("maxDelay").asText("1h")));
        }
        if (r.has("failoverAfter")) {
          rb.failoverAfter(whole(file, r, "failoverAfter", "policies.retry.failoverAfter", 0));
        }
        retry = rb.build();
      } catch (IllegalArgumentException e) {
        throw CliException.wrap(e, ExitCodes.CONFIG, "config.policy", file, "policies.retry", e.getMessage());
      }
    }
    CircuitBreakerPolicy breaker = CircuitBreakerPolicy.ofDefaults();
    JsonNode c = policies.path("circuitBreaker");
    if (c.isObject()) {
      try {
        Duration openFor = c.has("openFor")
            ? ConfigValues.parseDuration("openFor", c.get("openFor").asText()) : breaker.openFor();
        // Without maxOpenFor the openings grow up to the default's hour, or stay at a longer openFor.
        Duration maxOpenFor = c.has("maxOpenFor")
            ? ConfigValues.parseDuration("maxOpenFor", c.get("maxOpenFor").asText())
            : openFor.compareTo(breaker.maxOpenFor()) > 0 ? openFor : breaker.maxOpenFor();
        breaker = breaker.toBuilder().failureThreshold(whole(file, c, "failures", "policies.circuitBreaker.failures",
            breaker.failureThreshold()))
            .window(c.has("window") ? ConfigValues.parseDuration("window", c.get("window").asText())
                : breaker.window())
            .openFor(openFor).probes(whole(file, c, "probes", "policies.circuitBreaker.probes", breaker.probes()))
            .maxOpenFor(maxOpenFor).build();
      } catch (IllegalArgumentException e) {
        throw CliException.wrap(e, ExitCodes.CONFIG, "config.policy", file, "policies.circuitBreaker",
            e.getMessage());
      }
    }
    String notifications = null;
    if (root.hasNonNull("notifications")) {
      ObjectNode wrapper = JSON.createObjectNode();
      wrapper.set("notifications", root.get("notifications"));
      notifications = wrapper.toString();
    }
    Learning learning = root.hasNonNull("learning") ? learning(file, root.get("learning"), "learning") : null;
    Map<String, Learning> projectLearning = new LinkedHashMap<>();
    JsonNode projects = root.path("projects");
    if (!projects.isMissingNode() && !projects.isNull()) {
      if (!projects.isObject()) {
        throw CliException.of(ExitCodes.CONFIG, "config.policy", file, "projects",
            "must be an object of project names, such as {\"marketing\": {\"learning\": {\"strategy\":"
            + " \"adaptive\"}}} (was " + projects + ")");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = projects.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String where = "projects." + e.getKey();
        if (!e.getValue().isObject()) {
          throw CliException.of(ExitCodes.CONFIG, "config.policy", file, where,
              "must be an object such as {\"learning\": {\"strategy\": \"adaptive\"}} (was " + e.getValue() + ")");
        }
        for (Iterator<String> f = e.getValue().fieldNames(); f.hasNext(); ) {
          String field = f.next();
          if (!field.equals("learning") && !field.startsWith("x-")) {
            throw CliException.of(ExitCodes.CONFIG, "config.policy", file, where + "." + field,
                "unknown field: a project's section holds \"learning\" (your own fields start with x-)");
          }
        }
        if (e.getValue().hasNonNull("learning")) {
          projectLearning.put(e.getKey(), learning(file, e.getValue().get("learning"), where + ".learning"));
        }
      }
    }
    ShadowPolicy shadow = root.hasNonNull("shadow") ? shadow(file, root.get("shadow"), instances.keySet()) : null;
    return new Config(file, instances, simulate, simulator, defaultProvider, zone, budgets, maxCalls, limits, retry,
        breaker, notifications, learning, projectLearning, shadow);
  }

  /**
   * {@code "shadow": {"sampleRate": 0.1, "seed": 7, "promoteAfter": "3 of 5", "maxCostPerComparison": "$0.05",
   * "judge": "claude"}}: every field optional but the object itself.
   */
  private static ShadowPolicy shadow(Path file, JsonNode node, Set<String> instances) {
    if (!node.isObject()) {
      throw CliException.of(ExitCodes.CONFIG, "config.policy", file, "shadow", "must be an object such as"
          + " {\"sampleRate\": 0.1, \"promoteAfter\": \"3 of 5\", \"judge\": \"claude\"} (was " + node + ")");
    }
    ShadowPolicy.Builder b = ShadowPolicy.builder();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String where = "shadow." + e.getKey();
      String text = e.getValue().asText().trim();
      try {
        switch (e.getKey()) {
          case "sampleRate" -> b.sampleRate(Double.parseDouble(text));
          case "seed" -> b.seed(Long.parseLong(text));
          case "promoteAfter" -> b.promoteAfter(text);
          case "maxCostPerComparison" -> b.maxCostPerComparison(ConfigValues.parseMoney(where, text));
          case "judge" -> {
            String judge = text.toLowerCase(Locale.ROOT);
            if (!instances.contains(judge)) {
              throw new IllegalArgumentException("names no configured provider instance (was '" + text + "';"
                  + " configured: " + instances + ")");
            }
            b.judge(judge);
          }
          default -> {
            if (!e.getKey().startsWith("x-")) {
              throw new IllegalArgumentException("unknown field: shadow holds sampleRate, seed, promoteAfter,"
                  + " maxCostPerComparison and judge (your own fields start with x-)");
            }
          }
        }
      } catch (NumberFormatException ex) {
        throw CliException.wrap(ex, ExitCodes.CONFIG, "config.policy", file, where, "must be a number (was '"
            + text + "')");
      } catch (IllegalArgumentException ex) {
        throw CliException.wrap(ex, ExitCodes.CONFIG, "config.policy", file, where, ex.getMessage());
      }
    }
    return b.build();
  }

  private static Learning learning(Path file, JsonNode node, String where) {
    if (!node.isObject()) {
      throw CliException.of(ExitCodes.CONFIG, "config.policy", file, where, "must be an object such as"
          + " {\"strategy\": \"adaptive\", \"seed\": \"42\"} (was " + node + ")");
    }
    JsonNode strategy = node.get("strategy");
    if (strategy == null || !strategy.isTextual() || strategy.asText().isBlank()) {
      throw CliException.of(ExitCodes.CONFIG, "config.policy", file, where + ".strategy", "must name a learning"
          + " strategy such as \"adaptive\", \"best-quality\", \"cheapest-acceptable\" or \"as-assigned\" (was "
          + strategy + ")");
    }
    Map<String, String> props = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("strategy") && !e.getKey().startsWith("x-")) {
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          throw CliException.of(ExitCodes.CONFIG, "config.policy", file, where + "." + e.getKey(),
              "must be a string or a number such as \"42\" (was " + e.getValue() + ")");
        }
        props.put(e.getKey(), e.getValue().asText());
      }
    }
    return new Learning(strategy.asText().trim().toLowerCase(Locale.ROOT), props);
  }

  private static Budget budget(Path file, JsonNode b, Set<String> instances) {
    try {
      String amount;
      String field = "limit";
      BudgetScope scope;
      if (b.hasNonNull("project")) {
        scope = BudgetScope.project(b.get("project").asText());
        amount = b.path("limit").asText(null);
      } else if (b.hasNonNull("provider")) {
        String p = b.get("provider").asText().toLowerCase(Locale.ROOT);
        if (!instances.contains(p)) {
          throw CliException.of(ExitCodes.CONFIG, "config.unknownProvider", file, "budgets", p,
              String.join(", ", instances));
        }
        boolean daily = b.hasNonNull("dailyLimit");
        scope = daily ? BudgetScope.providerDaily(p) : BudgetScope.provider(p);
        amount = daily ? b.get("dailyLimit").asText() : b.path("limit").asText(null);
        field = daily ? "dailyLimit" : "limit";
      } else if (b.path("global").asBoolean(false)) {
        scope = BudgetScope.global();
        amount = b.path("limit").asText(null);
      } else {
        throw CliException.of(ExitCodes.CONFIG, "config.budgetShape", file, b.toString());
      }
      if (amount == null) {
        throw CliException.of(ExitCodes.CONFIG, "config.budgetShape", file, b.toString());
      }
      return Budget.of(scope, ConfigValues.parseMoney(field, amount));
    } catch (IllegalArgumentException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "config.policy", file, "budgets", e.getMessage());
    }
  }

  /**
   * A whole number at {@code field} of {@code node}, or {@code otherwise} when it is absent. Anything else is refused
   * naming the key path and the value ({@code policies.retry.maxAttempts: "many" is not a whole number}), never
   * read as 0.
   */
  private static int whole(Path file, JsonNode node, String field, String path, int otherwise) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return otherwise;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.intValue();
    }
    if (v.isTextual() && v.asText().strip().matches("-?\\d{1,9}")) {
      return Integer.parseInt(v.asText().strip());
    }
    throw CliException.of(ExitCodes.CONFIG, "config.notWhole", file, path, Texts.cut(v.toString()));
  }

  /** {@code true} or {@code false} at {@code field}, or {@code otherwise} when absent. */
  private static boolean bool(Path file, JsonNode node, String field, String path, boolean otherwise) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return otherwise;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    throw CliException.of(ExitCodes.CONFIG, "config.notBoolean", file, path, Texts.cut(v.toString()));
  }

  /** An instance's concurrency limit. */
  public int limit(String instance) {
    return instanceLimits.getOrDefault(instance, maxConcurrentCalls);
  }
}
