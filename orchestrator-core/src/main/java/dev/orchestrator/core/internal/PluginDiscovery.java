package dev.orchestrator.core.internal;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugin factories through {@link ServiceLoader}, defensively: a factory that cannot be loaded is reported by
 * class name and skipped; two factories with one id are an error naming both classes; explicit factories win over
 * discovered ones; the result is ordered by id.
 */
public final class PluginDiscovery {
  private static final Logger log = LoggerFactory.getLogger(PluginDiscovery.class);

  private PluginDiscovery() {}

  /** The factories found and the problems met. */
  public record Result<F>(Map<String, F> factories, List<String> problems) {}

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
        report(type, problems, "plugin " + candidate.type().getName() + " is broken and was skipped: " + e, e);
        continue;
      }
      if (explicit.containsKey(key)) {
        continue;
      }
      F previous = found.putIfAbsent(key, factory);
      if (previous != null && previous.getClass() != factory.getClass()) {
        throw new OrchestratorException("two " + type.getSimpleName() + "s claim the id '" + key + "': "
            + previous.getClass().getName() + " and " + factory.getClass().getName()
            + "; remove one from the class path or register the one you want explicitly");
      }
    }
    for (Map.Entry<String, F> e : explicit.entrySet()) {
      found.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
    }
    return new Result<>(found, List.copyOf(problems));
  }

  private static void report(Class<?> type, List<String> problems, String problem, Throwable cause) {
    problems.add(problem);
    log.warn("Plugin skipped (spi={}, problem={})", type.getSimpleName(), problem, cause);
  }
}
