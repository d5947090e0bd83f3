package dev.orchestrator.spring.boot.internal;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.Scheduler;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.learn.LearningStrategyFactory;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.PluginDiscovery;
import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spring.boot.OrchestratorBuilderCustomizer;
import dev.orchestrator.spring.boot.OrchestratorProperties;
import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Builds the orchestrator from {@link OrchestratorProperties} and the application's beans, as the command line builds
 * it from its configuration file: provider instances (configured, and {@link AiProvider} beans with the options of
 * their name), policies, budgets, learning strategies (beans by name, else discovered factories), listeners, guards,
 * and then the customizers.
 *
 * @param properties what {@code orchestrator.*} says
 * @param store where state lives
 * @param providers the application's provider beans
 * @param factories the application's provider factory beans, which win over discovered ones of the same type
 * @param listeners the application's event subscriber beans
 * @param strategies the application's learning strategy beans, by bean name
 * @param guards the application's guard beans
 * @param customizers the application's builder customizers, in order
 * @param environment where plugins read their keys: the application's {@code Environment}
 * @param classLoader where plugins are discovered
 */
public record Assembly(OrchestratorProperties properties, Store store, List<AiProvider> providers,
    List<ProviderFactory> factories, List<EventSubscriber> listeners, Map<String, LearningStrategy> strategies,
    List<Guard> guards, List<OrchestratorBuilderCustomizer> customizers,
    Function<String, @Nullable String> environment, ClassLoader classLoader) {

  /**
   * Builds and starts the orchestrator.
   *
   * @throws IllegalStateException naming the property and the fix when the properties and the beans do not fit
   *     together (a provider without a type and without a bean, an unknown default provider or strategy, a type that
   *     no plugin provides)
   */
  public Orchestrator build() {
    Settings.Read read = Settings.read(properties);
    read.problems().throwIfAny();
    Orchestrator.Builder b = Orchestrator.builder()
        .store(store)
        .engineName(properties.getEngineName() != null ? properties.getEngineName() : engineName())
        .claimRuns(properties.isClaimRuns())
        .lease(read.lease())
        .maxConcurrentCalls(properties.getMaxConcurrentCalls())
        .retryPolicy(read.retry())
        .circuitBreaker(read.breaker())
        .defaultGuards(properties.isDefaultGuards())
        .environment(environment)
        .classLoader(classLoader);
    if (read.zone() != null) {
      b.budgetZone(read.zone());
    }
    factories.forEach(b::providerFactory);
    addProviders(b, read.instances());
    if (properties.getDefaultProvider() != null) {
      b.defaultProvider(Settings.lower(properties.getDefaultProvider()));
    }
    for (Budget budget : read.budgets()) {
      b.budget(budget);
    }
    addLearning(b);
    if (read.shadow() != null) {
      b.shadowEvaluation(read.shadow());
    }
    listeners.forEach(b::listener);
    guards.forEach(b::guard);
    customizers.forEach(c -> c.customize(b));
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException | OrchestratorException e) {
      throw new IllegalStateException("the orchestrator cannot start from the orchestrator.* properties: "
          + e.getMessage(), e);
    }
  }

  private void addProviders(Orchestrator.Builder b, List<Settings.Instance> instances) {
    Map<String, Settings.Instance> byName = new LinkedHashMap<>();
    instances.forEach(i -> byName.put(i.name(), i));
    Map<String, AiProvider> beans = new LinkedHashMap<>();
    for (AiProvider p : providers) {
      String name = p.name().toLowerCase(Locale.ROOT);
      Settings.Instance i = byName.get(name);
      if (i != null && i.config() != null) {
        throw new IllegalStateException("provider instance '" + name + "' is both an AiProvider bean ("
            + p.getClass().getName() + ") and orchestrator.providers." + name + ".type=" + i.config().type()
            + ": remove the type to give the bean options, or rename one of them");
      }
      beans.put(name, p);
      b.provider(p, i != null ? i.options() : dev.orchestrator.core.ProviderOptions.ofDefaults());
    }
    for (Settings.Instance i : instances) {
      if (i.config() != null) {
        b.provider(properties.isSimulateMissingKeys() ? MissingKeys.standIn(i.config(), environment) : i.config(),
            i.options());
      } else if (!beans.containsKey(i.name())) {
        throw new IllegalStateException("orchestrator.providers." + i.name() + " has no type and there is no "
            + "AiProvider bean named '" + i.name() + "': set orchestrator.providers." + i.name() + ".type (such as "
            + "openai, anthropic, gemini, cli or simulator), or declare the bean");
      }
    }
  }

  private void addLearning(Orchestrator.Builder b) {
    OrchestratorProperties.Learning all = properties.getLearning();
    Map<String, LearningStrategyFactory> found = null;
    if (all.getStrategy() != null) {
      found = discovered();
      b.learningStrategy(Settings.lower(all.getStrategy()), strategy("orchestrator.learning", all, found));
    } else if (strategies.size() == 1) {
      Map.Entry<String, LearningStrategy> only = strategies.entrySet().iterator().next();
      b.learningStrategy(only.getKey(), only.getValue());
    } else if (strategies.size() > 1) {
      throw new IllegalStateException("there are " + strategies.size() + " LearningStrategy beans "
          + strategies.keySet() + ": set orchestrator.learning.strategy to the bean name of the one for every "
          + "project (others can be given to single projects with orchestrator.projects.<name>.learning.strategy)");
    }
    for (Map.Entry<String, OrchestratorProperties.ProjectSettings> e : properties.getProjects().entrySet()) {
      OrchestratorProperties.Learning l = e.getValue().getLearning();
      if (l.getStrategy() != null) {
        found = found != null ? found : discovered();
        b.learningStrategy(e.getKey(), Settings.lower(l.getStrategy()),
            strategy("orchestrator.projects." + e.getKey() + ".learning", l, found));
      }
    }
  }

  /** A bean of that name, else a discovered factory's strategy. */
  private LearningStrategy strategy(String at, OrchestratorProperties.Learning l,
      Map<String, LearningStrategyFactory> found) {
    String name = Settings.lower(l.getStrategy());
    LearningStrategy bean = strategies.get(l.getStrategy().strip());
    if (bean != null) {
      return bean;
    }
    LearningStrategyFactory f = found.get(name);
    if (f == null) {
      throw new IllegalStateException(at + ".strategy: there is no learning strategy '" + name + "' (known: "
          + String.join(", ", found.keySet()) + (strategies.isEmpty() ? "" : "; beans: "
          + String.join(", ", strategies.keySet())) + "): use one of them, or put the jar of yours on the class path");
    }
    Map<String, String> props = new LinkedHashMap<>();
    l.getProperties().forEach((k, v) -> props.put(Names.camel(k), v));
    try {
      return f.create(new PluginConfig(name, name, props),
          PluginContext.of(Clock.systemUTC(), Scheduler.none(), environment));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(at + ".properties: " + e.getMessage(), e);
    }
  }

  private Map<String, LearningStrategyFactory> discovered() {
    return PluginDiscovery.discover(LearningStrategyFactory.class, classLoader, Map.of(),
        LearningStrategyFactory::name).factories();
  }

  /** {@code spring@host:pid:3f9a2c}: which process runs the engine, as the command line names its engines. */
  static String engineName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | SecurityException e) {
      host = "localhost";
    }
    return "spring@" + host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 6);
  }
}
