package dev.orchestrator.spi;

import dev.orchestrator.OrchestratorException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Finds plugin factories (providers, notifiers, guards) through {@link ServiceLoader}, with one rule everywhere: a
 * factory that cannot be loaded or created is reported by class name and skipped; two discovered factories with one
 * id are an error naming both classes, unless the application registered a factory with that id explicitly; explicit
 * factories win over discovered ones; ids are compared in lower case and the result is ordered by id.
 *
 * <pre>{@code
 * PluginDiscovery.Result<ProviderFactory> found = PluginDiscovery.discover(ProviderFactory.class,
 *     getClass().getClassLoader(), Map.of(), ProviderFactory::type);
 * found.problems().forEach(System.err::println);
 * }</pre>
 *
 * @since 0.1
 */
public final class PluginDiscovery {
  private static final System.Logger log = System.getLogger(PluginDiscovery.class.getName());

  private PluginDiscovery() {}

  /**
   * The factories found, by lower-case id, and the problems met (plugins skipped, with why). A record: its shape is
   * final.
   *
   * @param factories the factories by id
   * @param problems what was skipped and why
   * @param <F> the factory type
   */
  public record Result<F>(Map<String, F> factories, List<String> problems) {
    public Result {
      factories = java.util.Collections.unmodifiableMap(new TreeMap<>(factories));
      problems = List.copyOf(problems);
    }
  }

  /**
   * Discovers factories of {@code type}.
   *
   * @param type the factory interface
   * @param loader where to look
   * @param explicit factories registered by the application, keyed by id; they win
   * @param id a factory's id
   * @throws OrchestratorException when two discovered factories share an id
   */
  public static <F> Result<F> discover(Class<F> type, ClassLoader loader, Map<String, F> explicit,
      Function<F, String> id) {
    Map<String, F> given = new TreeMap<>();
    explicit.forEach((k, v) -> given.put(k.toLowerCase(Locale.ROOT), v));
    Map<String, F> found = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    Iterator<ServiceLoader.Provider<F>> it = ServiceLoader.load(type, loader).stream().iterator();
    while (true) {
      ServiceLoader.Provider<F> candidate;
      try {
        if (!it.hasNext()) {
          break;
        }
        candidate = it.next();
      } catch (ServiceConfigurationError e) {
        report(type, problems, "a " + type.getSimpleName() + " listed in META-INF/services cannot be loaded: "
            + e.getMessage(), e);
        continue;
      }
      F factory;
      String key;
      try {
        factory = candidate.get();
        key = id.apply(factory).toLowerCase(Locale.ROOT);
      } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
        report(type, problems, "plugin " + candidate.type().getName() + " is broken and was skipped: "
            + rootCause(e), e);
        continue;
      }
      if (given.containsKey(key)) {
        continue;
      }
      F previous = found.putIfAbsent(key, factory);
      if (previous != null && previous.getClass() != factory.getClass()) {
        throw new OrchestratorException("two " + type.getSimpleName() + "s claim the id '" + key + "': "
            + previous.getClass().getName() + " and " + factory.getClass().getName()
            + "; remove one from the class path or register the one you want explicitly");
      }
    }
    found.putAll(given);
    return new Result<>(found, List.copyOf(problems));
  }

  /** The innermost cause, as its class and message: what a plugin author needs to fix. */
  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? e.toString() : e.getClass().getSimpleName() + " caused by " + t;
  }

  private static void report(Class<?> type, List<String> problems, String problem, Throwable cause) {
    problems.add(problem);
    log.log(System.Logger.Level.WARNING, "Plugin skipped (spi=" + type.getSimpleName() + ", problem=" + problem
        + ")", cause);
  }
}
