package dev.orchestrator.notifiers.internal;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.PluginDiscovery;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds notifier factories (explicit ones first, then {@link ServiceLoader}) and creates one notifier per distinct
 * channel configuration, after replacing {@code ${NAME}} references with environment values. Not thread-safe; used
 * once while the listener is built.
 */
public final class ChannelFactory {
  private static final Logger log = LoggerFactory.getLogger(ChannelFactory.class);
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)}");

  private final Map<String, NotifierFactory> factories = new TreeMap<>();
  private final PluginContext context;
  private final List<String> problems = new ArrayList<>();
  private final List<PluginConfig> resolved = new ArrayList<>();

  /**
   * Collects factories.
   *
   * @param explicit factories given to the builder; they win over discovered ones of the same type
   * @param loader where to discover others
   */
  public ChannelFactory(Collection<NotifierFactory> explicit, ClassLoader loader, PluginContext context) {
    this.context = context;
    // One discovery for every kind of plugin: a broken one is skipped with a problem, two with one type are an
    // error unless one is registered explicitly, explicit ones win.
    Map<String, NotifierFactory> given = new TreeMap<>();
    explicit.forEach(f -> given.put(f.type().toLowerCase(java.util.Locale.ROOT), f));
    PluginDiscovery.Result<NotifierFactory> found =
        PluginDiscovery.discover(NotifierFactory.class, loader, given, NotifierFactory::type);
    factories.putAll(found.factories());
    problems.addAll(found.problems());
  }

  /** Creates the notifiers for these channel specs; problems are collected, see {@link #problems()}. */
  public Map<ChannelSpec, Notifier> create(Collection<ChannelSpec> specs, String where) {
    Map<ChannelSpec, Notifier> out = new LinkedHashMap<>();
    for (ChannelSpec spec : specs) {
      NotifierFactory f = factories.get(spec.type().toLowerCase(java.util.Locale.ROOT));
      if (f == null) {
        problems.add(where + ".channels." + spec.name() + ": no notifier plugin has the type '" + spec.type()
            + "': use one of " + factories.keySet() + " or add the plugin to the class path");
        continue;
      }
      Map<String, String> props = new LinkedHashMap<>();
      boolean ok = true;
      for (Map.Entry<String, String> e : spec.properties().entrySet()) {
        String value = substitute(e.getValue(), where + ".channels." + spec.name() + "." + e.getKey());
        if (value == null) {
          ok = false;
        } else {
          props.put(e.getKey(), value);
        }
      }
      if (!ok) {
        continue;
      }
      PluginConfig config = new PluginConfig(spec.name(), spec.type(), props);
      try {
        out.put(spec, f.create(config, context));
        resolved.add(config);
      } catch (IllegalArgumentException e) {
        problems.add(where + ".channels." + spec.name() + ": " + e.getMessage());
      }
    }
    return out;
  }

  private @org.jspecify.annotations.Nullable String substitute(String value, String path) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = context.env(m.group(1));
      if (v == null) {
        problems.add(path + " refers to ${" + m.group(1) + "}, which is not set: set that environment variable");
        return null;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Every problem found so far. */
  public List<String> problems() {
    return problems;
  }

  /** The configurations of every notifier created, secrets resolved: for the {@link Redactor}. */
  public List<PluginConfig> resolved() {
    return resolved;
  }
}
