package dev.orchestrator.core.guard;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.guard.GuardFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The factories of the built-in guards, discovered through {@code META-INF/services}. */
public final class BuiltInGuards {
  private BuiltInGuards() {}

  private static List<String> list(PluginConfig c, String key, List<String> fallback) {
    String v = c.get(key);
    return v == null || v.isBlank() ? fallback : Arrays.stream(v.split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
  }

  /** {@code secrets}: property {@code prompts} = {@code block} (default) or {@code redact}. */
  public static final class Secrets implements GuardFactory {
    @Override
    public String type() {
      return "secrets";
    }

    @Override
    public Guard create(PluginConfig config, PluginContext context) {
      String mode = config.get("prompts", "block").toLowerCase(Locale.ROOT);
      return switch (mode) {
        case "block" -> SecretGuard.blocking();
        case "redact" -> SecretGuard.redacting();
        default -> throw new IllegalArgumentException("guard '" + config.name() + "': prompts must be block or redact"
            + " (was '" + mode + "')");
      };
    }
  }

  /** {@code pii}: {@code action} = {@code redact} (default) or {@code block}; {@code prompts}, {@code outputs}. */
  public static final class Pii implements GuardFactory {
    @Override
    public String type() {
      return "pii";
    }

    @Override
    public Guard create(PluginConfig config, PluginContext context) {
      String action = config.get("action", "redact").toUpperCase(Locale.ROOT);
      try {
        return PiiGuard.of(PiiGuard.Action.valueOf(action), Boolean.parseBoolean(config.get("prompts", "true")),
            Boolean.parseBoolean(config.get("outputs", "true")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("guard '" + config.name() + "': action must be block or redact (was '"
            + action.toLowerCase(Locale.ROOT) + "')", e);
      }
    }
  }

  /** {@code limits}: {@code max_prompt_chars}, {@code max_output_chars}, {@code forbidden} (comma-separated). */
  public static final class Limits implements GuardFactory {
    @Override
    public String type() {
      return "limits";
    }

    @Override
    public Guard create(PluginConfig config, PluginContext context) {
      return LimitGuard.of(Integer.parseInt(config.get("max_prompt_chars", "200000")),
          Integer.parseInt(config.get("max_output_chars", "400000")), list(config, "forbidden", List.of()),
          Boolean.parseBoolean(config.get("flag_only", "false")));
    }
  }

  /** {@code commands}: {@code forbidden} and {@code allowed_dirs} (comma-separated). */
  public static final class Commands implements GuardFactory {
    @Override
    public String type() {
      return "commands";
    }

    @Override
    public Guard create(PluginConfig config, PluginContext context) {
      return CommandGuard.of(list(config, "forbidden", CommandGuard.DEFAULT_FORBIDDEN),
          list(config, "allowed_dirs", List.of()).stream().map(Path::of).toList());
    }
  }

  /** {@code json_schema}: no properties. */
  public static final class Schema implements GuardFactory {
    @Override
    public String type() {
      return "json_schema";
    }

    @Override
    public Guard create(PluginConfig config, PluginContext context) {
      return new JsonSchemaGuard();
    }
  }
}
