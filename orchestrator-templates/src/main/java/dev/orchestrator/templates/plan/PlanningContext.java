package dev.orchestrator.templates.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a planner may use: the configured provider instances (name and type, in configuration order), the instance of
 * tasks that name none, and the command-line agents (instances of type {@code cli}) a plan may assign work to.
 * Immutable and thread-safe; build one with {@link #builder()}.
 *
 * <pre>{@code
 * PlanningContext context = PlanningContext.builder()
 *     .provider("claude", "anthropic").provider("chatgpt", "openai").provider("codex", "cli")
 *     .defaultProvider("chatgpt")
 *     .allowAgent("codex")          // without this, no planned task runs on codex
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class PlanningContext {
  /** The provider type of command-line agents, which run commands on this machine. */
  public static final String CLI_TYPE = "cli";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.\\-]{0,63}");

  private final Map<String, String> providers;
  private final String defaultProvider;
  private final Set<String> allowedAgents;

  private PlanningContext(Builder b) {
    this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(b.providers));
    this.allowedAgents = Collections.unmodifiableSet(new LinkedHashSet<>(b.allowedAgents));
    this.defaultProvider = Objects.requireNonNull(b.defaultProvider);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Instance name (lower case) to provider type, in configuration order. */
  public Map<String, String> providers() {
    return providers;
  }

  /** The instance of tasks that name none. */
  public String defaultProvider() {
    return defaultProvider;
  }

  /** The command-line agents a plan may use. */
  public Set<String> allowedAgents() {
    return allowedAgents;
  }

  /** The type of an instance (any case), or null when it is not configured. */
  public @Nullable String typeOf(String instance) {
    return providers.get(instance.toLowerCase(Locale.ROOT));
  }

  /** Whether a plan may assign tasks to the instance: it is configured, and allowed when it is a command-line agent. */
  public boolean usable(String instance) {
    String type = typeOf(instance);
    return type != null && (!type.equals(CLI_TYPE) || allowedAgents.contains(instance.toLowerCase(Locale.ROOT)));
  }

  /** The first configured instance of a type, in configuration order, or null. */
  public @Nullable String firstOfType(String type) {
    for (Map.Entry<String, String> e : providers.entrySet()) {
      if (e.getValue().equals(type)) {
        return e.getKey();
      }
    }
    return null;
  }

  /** Every configured instance of a type, in configuration order. */
  public List<String> instancesOfType(String type) {
    return providers.entrySet().stream().filter(e -> e.getValue().equals(type)).map(Map.Entry::getKey).toList();
  }

  @Override
  public String toString() {
    return "PlanningContext[providers=" + providers + ", default=" + defaultProvider + ", agents=" + allowedAgents
        + "]";
  }

  /** Builds a {@link PlanningContext}. Not thread-safe; {@link #build()} copies. */
  public static final class Builder {
    private final Map<String, String> providers = new LinkedHashMap<>();
    private final Set<String> allowedAgents = new LinkedHashSet<>();
    private @Nullable String defaultProvider;

    private Builder() {}

    /**
     * Adds a configured provider instance.
     *
     * @param name the instance name, such as {@code chatgpt} (any case)
     * @param type its provider type, such as {@code openai}, {@code anthropic}, {@code gemini} or {@code cli}
     * @throws IllegalArgumentException when the name or type is not a valid name, or the name was added already
     */
    public Builder provider(String name, String type) {
      String n = check("provider name", name);
      String t = check("provider type", type);
      if (providers.containsKey(n)) {
        throw new IllegalArgumentException("provider '" + n + "' was added twice: add each instance once");
      }
      providers.put(n, t);
      return this;
    }

    /** Adds the instances of a map of name to type, in its order. */
    public Builder providers(Map<String, String> nameToType) {
      nameToType.forEach(this::provider);
      return this;
    }

    /**
     * The instance of tasks that name none; by default the first instance added.
     *
     * @throws IllegalArgumentException when the name is not a valid name
     */
    public Builder defaultProvider(String name) {
      this.defaultProvider = check("default provider", name);
      return this;
    }

    /**
     * Allows plans to assign tasks to a command-line agent, which runs a command on this machine. Without it, a plan
     * that uses the agent is refused.
     */
    public Builder allowAgent(String name) {
      allowedAgents.add(check("agent", name));
      return this;
    }

    /**
     * Builds the context.
     *
     * @throws IllegalStateException when no provider was added, the default is not one of them, or an allowed agent is
     *     not a configured instance of type {@code cli}
     */
    public PlanningContext build() {
      if (providers.isEmpty()) {
        throw new IllegalStateException("a planning context needs at least one provider instance: add one with"
            + " provider(name, type)");
      }
      if (defaultProvider == null) {
        defaultProvider = providers.keySet().iterator().next();
      } else if (!providers.containsKey(defaultProvider)) {
        throw new IllegalStateException("default provider '" + defaultProvider + "' is not a configured instance"
            + " (configured: " + String.join(", ", providers.keySet()) + "): name one of them");
      }
      for (String a : allowedAgents) {
        if (!CLI_TYPE.equals(providers.get(a))) {
          throw new IllegalStateException("allowed agent '" + a + "' is not a configured instance of type cli"
              + " (configured: " + providers + "): allow only command-line agents that are configured");
        }
      }
      return new PlanningContext(this);
    }

    private static String check(String what, String value) {
      Objects.requireNonNull(value, what);
      String v = value.strip().toLowerCase(Locale.ROOT);
      if (!NAME.matcher(v).matches()) {
        throw new IllegalArgumentException(what + " must be letters, digits, '_', '.' or '-' (was '" + value
            + "'): use the instance name as configured");
      }
      return v;
    }
  }
}
