package dev.orchestrator.core.internal;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.PluginDiscovery;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Creates the provider instances an engine or a worker was configured with. */
public final class Plugins {
  private Plugins() {}

  /** The instances by name, and the plugins that were found broken. */
  public record Providers(Map<String, AiProvider> byName, List<String> problems) {}

  /**
   * Creates every configured instance with the factory of its type (explicit factories first, then discovered
   * ones), then adds the explicit instances, which win over configured ones of the same name. Instances it creates
   * are added to {@code owned}.
   *
   * @throws OrchestratorException when a configured type has no factory, or two discovered factories share a type
   */
  public static Providers providers(Map<String, AiProvider> explicit, List<PluginConfig> configs,
      Map<String, ProviderFactory> factories, @Nullable ClassLoader classLoader, PluginContext context,
      List<AutoCloseable> owned) {
    Map<String, AiProvider> all = new LinkedHashMap<>();
    List<String> problems = List.of();
    if (!configs.isEmpty()) {
      ClassLoader cl = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
      PluginDiscovery.Result<ProviderFactory> found =
          PluginDiscovery.discover(ProviderFactory.class, cl, factories, ProviderFactory::type);
      problems = found.problems();
      for (PluginConfig c : configs) {
        if (explicit.containsKey(c.name())) {
          continue;
        }
        ProviderFactory f = found.factories().get(c.type().toLowerCase(Locale.ROOT));
        if (f == null) {
          throw new OrchestratorException("provider '" + c.name() + "' has type '" + c.type()
              + "', but no factory of that type is registered or on the class path (found: "
              + found.factories().keySet() + "): add the plugin's jar or fix the type");
        }
        AiProvider p = f.create(c, context);
        owned.add(p);
        all.put(c.name(), p);
      }
    }
    all.putAll(explicit);
    if (all.isEmpty()) {
      throw new IllegalStateException("no provider is registered: call provider(...) at least once");
    }
    return new Providers(all, problems);
  }
}
