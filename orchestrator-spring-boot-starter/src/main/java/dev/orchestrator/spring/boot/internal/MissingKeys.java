package dev.orchestrator.spring.boot.internal;

import dev.orchestrator.spi.PluginConfig;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code orchestrator.simulate-missing-keys}: an instance of a vendor type (openai, anthropic, gemini) whose API key
 * is not set runs on the offline simulator, priced like its model, as the command line does. Only the key's presence
 * is read, never its value. Stateless.
 */
final class MissingKeys {
  private static final Logger log = LoggerFactory.getLogger(MissingKeys.class);
  private static final Map<String, String> KEY_ENV = Map.of("openai", "OPENAI_API_KEY", "anthropic",
      "ANTHROPIC_API_KEY", "gemini", "GEMINI_API_KEY");
  private static final Map<String, String> DEFAULT_MODEL = Map.of("openai", "gpt-4o-mini", "anthropic",
      "claude-sonnet-4-5", "gemini", "gemini-2.5-flash");

  private MissingKeys() {}

  /** The configuration to run: {@code config} itself, or the simulator standing in when its key is missing. */
  static PluginConfig standIn(PluginConfig config, Function<String, @Nullable String> env) {
    String variable = missingKey(config, env);
    if (variable == null) {
      return config;
    }
    Map<String, String> props = new LinkedHashMap<>();
    props.put("model", config.properties().getOrDefault("model", DEFAULT_MODEL.get(config.type())));
    log.warn("Provider instance runs on the offline simulator: its API key is not set (instance={}, type={}, "
        + "variable={}); set the variable, or orchestrator.simulate-missing-keys=false to fail instead",
        config.name(), config.type(), variable);
    return new PluginConfig(config.name(), "simulator", props);
  }

  /** The property or variable to set when the instance needs a key and has none, else null. */
  static @Nullable String missingKey(PluginConfig config, Function<String, @Nullable String> env) {
    String defaultVariable = KEY_ENV.get(config.type());
    if (defaultVariable == null) {
      return null; // cli, simulator and third-party types need no key from us
    }
    String explicit = config.properties().get("apiKey");
    if (explicit != null && !explicit.isBlank()) {
      return null;
    }
    String base = config.properties().get("baseUrl");
    if (config.type().equals("openai") && base != null && !isOpenAi(base)) {
      return null; // a local or compatible server needs no key
    }
    String variable = config.properties().getOrDefault("apiKeyEnv", defaultVariable);
    String value = env.apply(variable);
    return value == null || value.isBlank() ? variable : null;
  }

  private static boolean isOpenAi(String base) {
    try {
      String host = URI.create(base.strip()).getHost();
      return host != null && host.endsWith("openai.com");
    } catch (IllegalArgumentException e) {
      return true;
    }
  }
}
