package dev.orchestrator.cli.internal;

import dev.orchestrator.spi.PluginConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Which configured instances run for real and which on the simulator (their key is missing and the configuration
 * allows it), decided from the configuration and the environment. Immutable.
 *
 * @param configs what to give the engine builder, one per instance
 * @param simulated instance name to the environment variable whose absence made it simulated, in config order
 * @param missingKeys instances without a key that may not be simulated, to the variable to set
 */
public record ProviderSetup(List<PluginConfig> configs, Map<String, String> simulated,
    Map<String, String> missingKeys) {

  private static final Map<String, String> KEY_ENV = Map.of("openai", "OPENAI_API_KEY", "anthropic",
      "ANTHROPIC_API_KEY", "gemini", "GEMINI_API_KEY");
  private static final Map<String, String> DEFAULT_MODEL = Map.of("openai", "gpt-4o-mini", "anthropic",
      "claude-sonnet-4-5", "gemini", "gemini-2.5-flash");

  public ProviderSetup {
    configs = List.copyOf(configs);
    simulated = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(simulated));
    missingKeys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(missingKeys));
  }

  /** Decides every instance of {@code config}; reads keys' presence (never their values) from {@code env}. */
  public static ProviderSetup of(Config config, Function<String, @Nullable String> env) {
    List<PluginConfig> configs = new ArrayList<>();
    Map<String, String> simulated = new LinkedHashMap<>();
    Map<String, String> missing = new LinkedHashMap<>();
    for (Config.Instance i : config.instances().values()) {
      String keyEnv = missingKeyVariable(i, env);
      if (keyEnv == null) {
        configs.add(new PluginConfig(i.name(), i.type(), i.properties()));
      } else if (config.simulateMissingKeys()) {
        Map<String, String> props = new LinkedHashMap<>(config.simulator());
        // The simulator prices its made-up tokens like the real model, so plans and reports stay realistic.
        props.put("model", i.properties().getOrDefault("model", DEFAULT_MODEL.get(i.type())));
        configs.add(new PluginConfig(i.name(), "simulator", props));
        simulated.put(i.name(), keyEnv);
      } else {
        configs.add(new PluginConfig(i.name(), i.type(), i.properties()));
        missing.put(i.name(), keyEnv);
      }
    }
    return new ProviderSetup(configs, simulated, missing);
  }

  /** The variable to set when the instance needs a key and has none, else null. */
  private static @Nullable String missingKeyVariable(Config.Instance i, Function<String, @Nullable String> env) {
    String defaultEnv = KEY_ENV.get(i.type());
    if (defaultEnv == null) {
      return null; // cli, simulator and third-party types need no key from us
    }
    String explicit = i.properties().get("apiKey");
    if (explicit != null && !explicit.isBlank()) {
      return null;
    }
    if (i.type().equals("openai")) {
      String base = i.properties().get("baseUrl");
      if (base != null && !isOpenAi(base)) {
        return null; // local and compatible servers need no key
      }
    }
    String var = i.properties().getOrDefault("apiKeyEnv", defaultEnv);
    String value = env.apply(var);
    return value == null || value.isBlank() ? var : null;
  }

  private static boolean isOpenAi(String base) {
    try {
      String host = URI.create(base.trim()).getHost();
      return host != null && host.endsWith("openai.com");
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  /** Whether the instance runs on the simulator. */
  public boolean isSimulated(String instance) {
    return simulated.containsKey(instance);
  }

  /** The type an instance really runs on. */
  public String effectiveType(String instance) {
    for (PluginConfig c : configs) {
      if (c.name().equals(instance)) {
        return c.type();
      }
    }
    return "?";
  }
}
