package dev.orchestrator.cli.internal;

import dev.orchestrator.Scheduler;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.learn.LearningStrategyFactory;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.PluginDiscovery;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The learning strategies the configuration names ({@code "learning"} for every project, {@code "projects": {"<name>":
 * {"learning": ...}}} for one), found by name among the {@link LearningStrategyFactory} plugins and handed to the
 * orchestrator every command builds.
 */
final class LearningStrategies {
  private LearningStrategies() {}

  /** Gives the builder the configured strategies; an unknown name is a configuration error naming the known ones. */
  static void configure(Config c, Orchestrator.Builder b, Function<String, @Nullable String> env) {
    if (c.learning() == null && c.projectLearning().isEmpty()) {
      return;
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
        ? Thread.currentThread().getContextClassLoader() : LearningStrategies.class.getClassLoader();
    Map<String, LearningStrategyFactory> found = PluginDiscovery.discover(LearningStrategyFactory.class, loader,
        Map.of(), LearningStrategyFactory::name).factories();
    PluginContext context = PluginContext.of(Clock.systemUTC(), Scheduler.none(), env);
    Config.Learning all = c.learning();
    if (all != null) {
      b.learningStrategy(all.strategy(), create(c, "learning", all, found, context));
    }
    c.projectLearning().forEach((project, l) -> b.learningStrategy(project, l.strategy(),
        create(c, "projects." + project + ".learning", l, found, context)));
  }

  private static LearningStrategy create(Config c, String where, Config.Learning l,
      Map<String, LearningStrategyFactory> found, PluginContext context) {
    LearningStrategyFactory f = found.get(l.strategy());
    if (f == null) {
      throw CliException.of(ExitCodes.CONFIG, "config.policy", c.file(), where + ".strategy", "there is no learning"
          + " strategy '" + l.strategy() + "' (known: " + String.join(", ", found.keySet()) + "): use one of them,"
          + " or put the jar of yours on the class path");
    }
    try {
      return f.create(new PluginConfig(l.strategy(), l.strategy(), l.properties()), context);
    } catch (IllegalArgumentException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "config.policy", c.file(), where, e.getMessage());
    }
  }
}
