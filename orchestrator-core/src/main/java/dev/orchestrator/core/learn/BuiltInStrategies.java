package dev.orchestrator.core.learn;

import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.learn.LearningStrategyFactory;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;

/**
 * The factories of the built-in strategies ({@link Strategies}), discovered through {@code META-INF/services}.
 * Properties: {@code minSamples} (default 5), {@code margin} (0.05), and for {@code adaptive} also {@code seed}
 * (default 0) and {@code explorationMargin} (0.25).
 *
 * @since 0.1
 */
public final class BuiltInStrategies {
  private BuiltInStrategies() {}

  /** {@code as-assigned}: the workflow's order, the default. */
  public static final class AsAssigned implements LearningStrategyFactory {
    @Override
    public String name() {
      return "as-assigned";
    }

    @Override
    public LearningStrategy create(PluginConfig config, PluginContext context) {
      return Strategies.asAssigned();
    }
  }

  /** {@code best-quality}: property {@code minSamples}. */
  public static final class BestQuality implements LearningStrategyFactory {
    @Override
    public String name() {
      return "best-quality";
    }

    @Override
    public LearningStrategy create(PluginConfig config, PluginContext context) {
      return Strategies.bestQuality(minSamples(config));
    }
  }

  /** {@code cheapest-acceptable}: properties {@code minSamples}, {@code margin}. */
  public static final class CheapestAcceptable implements LearningStrategyFactory {
    @Override
    public String name() {
      return "cheapest-acceptable";
    }

    @Override
    public LearningStrategy create(PluginConfig config, PluginContext context) {
      return Strategies.cheapestAcceptable(minSamples(config),
          share(config, "margin", Strategies.DEFAULT_MARGIN));
    }
  }

  /** {@code adaptive}: properties {@code seed}, {@code minSamples}, {@code margin}, {@code explorationMargin}. */
  public static final class Adaptive implements LearningStrategyFactory {
    @Override
    public String name() {
      return "adaptive";
    }

    @Override
    public LearningStrategy create(PluginConfig config, PluginContext context) {
      String seed = config.get("seed", "0").trim();
      long s;
      try {
        s = Long.parseLong(seed);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("strategy '" + config.name() + "': seed must be a whole number (was '"
            + seed + "'): give any integer, such as 42", e);
      }
      return Strategies.adaptive(s, minSamples(config), share(config, "margin", Strategies.DEFAULT_MARGIN),
          share(config, "explorationMargin", Strategies.DEFAULT_EXPLORATION_MARGIN));
    }
  }

  private static int minSamples(PluginConfig config) {
    return config.integer("minSamples", Strategies.DEFAULT_MIN_SAMPLES, 1, 1_000_000);
  }

  private static double share(PluginConfig config, String key, double defaultValue) {
    String v = config.get(key);
    if (v == null || v.isBlank()) {
      return defaultValue;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (d >= 0 && d <= 1) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("strategy '" + config.name() + "': " + key + " must be a number from 0 to 1 "
        + "(was '" + v + "'): give a quality difference such as " + defaultValue);
  }
}
