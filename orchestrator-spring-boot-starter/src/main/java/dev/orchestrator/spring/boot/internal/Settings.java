package dev.orchestrator.spring.boot.internal;

import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.ProviderOptions;
import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.spi.ConfigValues;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spring.boot.OrchestratorProperties;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@link OrchestratorProperties} into the engine's values (policies, budgets, provider configurations), in the
 * project's one grammar for durations and amounts. Every wrong value goes to {@link Problems} with its property and
 * the fix, and a neutral value is returned in its place, so one pass finds them all: the validator reports them, the
 * auto-configuration builds from the values. Stateless.
 */
public final class Settings {
  /** The instance name tasks use to let the learning strategy choose; no instance may take it. */
  private static final String RESERVED = "auto";

  private Settings() {}

  /** A provider instance made from properties: its plugin configuration (null for a bean's) and options. */
  public record Instance(String name, @Nullable PluginConfig config, ProviderOptions options) {}

  /** Every value read and checked; {@code problems} holds what was wrong. */
  public static Read read(OrchestratorProperties p) {
    Problems problems = new Problems();
    Read r = new Read(retry(p.getRetry(), problems), breaker(p.getCircuitBreaker(), problems),
        budgets(p.getBudgets(), problems), providers(p, problems), zone(p.getTimeZone(), problems),
        duration(problems, "lease", "lease", p.getLease(), Duration.ofSeconds(30)), shadow(p, problems), problems);
    if (r.lease().compareTo(Duration.ofSeconds(1)) < 0) {
      problems.add("lease", "lease", "must be at least 1s (was '" + p.getLease() + "'): runs would change hands "
          + "between engines all the time; use the default 30s");
    }
    if (p.getMaxConcurrentCalls() < 1) {
      problems.add("max-concurrent-calls", "maxConcurrentCalls", "must be >= 1 (was " + p.getMaxConcurrentCalls()
          + "): give the most calls of one provider instance in flight at once, such as 8");
    }
    if (p.getEngineName() != null && (p.getEngineName().isBlank() || p.getEngineName().length() > 200)) {
      problems.add("engine-name", "engineName", "must be 1 to 200 characters (was " + Problems.shown(p.getEngineName())
          + "): leave it out for spring@<host>:<pid>:<random>");
    }
    if (p.getDefaultProvider() != null && p.getDefaultProvider().isBlank()) {
      problems.add("default-provider", "defaultProvider", "must name a provider instance (was blank): name one of "
          + p.getProviders().keySet() + ", or leave it out");
    }
    learning("learning", "learning", p.getLearning(), problems);
    p.getProjects().forEach((project, s) -> learning("projects." + project + ".learning",
        "projects[" + project + "].learning", s.getLearning(), problems));
    DashboardCheck.check(p.getDashboard(), problems);
    StoreCheck.check(p.getStore(), problems);
    return r;
  }

  /**
   * What the properties say, read.
   *
   * @param instances provider instances in the order written
   * @param zone the time zone of daily budgets, or null for the clock's
   */
  public record Read(RetryPolicy retry, CircuitBreakerPolicy breaker, List<Budget> budgets,
      List<Instance> instances, @Nullable ZoneId zone, Duration lease,
      dev.orchestrator.core.learn.@Nullable ShadowPolicy shadow, Problems problems) {}

  /** Shadow evaluation's policy, or null when {@code orchestrator.shadow.sample-rate} is not set. */
  static dev.orchestrator.core.learn.@Nullable ShadowPolicy shadow(OrchestratorProperties p, Problems problems) {
    OrchestratorProperties.Shadow s = p.getShadow();
    if (s.getSampleRate() == null) {
      return null;
    }
    dev.orchestrator.core.learn.ShadowPolicy.Builder b = dev.orchestrator.core.learn.ShadowPolicy.builder()
        .seed(s.getSeed());
    try {
      b.sampleRate(s.getSampleRate());
    } catch (IllegalArgumentException e) {
      problems.add("shadow.sample-rate", "shadow.sampleRate", e.getMessage());
    }
    try {
      b.promoteAfter(s.getPromoteAfter());
    } catch (IllegalArgumentException e) {
      problems.add("shadow.promote-after", "shadow.promoteAfter", e.getMessage());
    }
    if (s.getMaxCostPerComparison() != null) {
      try {
        b.maxCostPerComparison(ConfigValues.parseMoney("max-cost-per-comparison", s.getMaxCostPerComparison()));
      } catch (IllegalArgumentException e) {
        problems.add("shadow.max-cost-per-comparison", "shadow.maxCostPerComparison", e.getMessage());
      }
    }
    if (s.getJudge() != null) {
      if (s.getJudge().isBlank()) {
        problems.add("shadow.judge", "shadow.judge", "must name a provider instance (was blank): name one of "
            + p.getProviders().keySet() + ", or leave it out to compare reviewed tasks only");
      } else {
        b.judge(lower(s.getJudge()));
      }
    }
    return b.build();
  }

  static RetryPolicy retry(OrchestratorProperties.Retry r, Problems problems) {
    RetryPolicy.Builder b = RetryPolicy.ofDefaults().toBuilder();
    if (r.getMaxAttempts() != null) {
      try {
        b.maxAttempts(r.getMaxAttempts());
      } catch (IllegalArgumentException e) {
        problems.add("retry.max-attempts", "retry.maxAttempts", e.getMessage());
      }
    }
    if (r.getDelay() != null || r.getMaxDelay() != null) {
      Duration delay = duration(problems, "retry.delay", "retry.delay", r.getDelay(), RetryPolicy.ofDefaults().delay());
      Duration max = r.getMaxDelay() != null
          ? duration(problems, "retry.max-delay", "retry.maxDelay", r.getMaxDelay(), delay)
          : delay.compareTo(RetryPolicy.ofDefaults().maxDelay()) > 0 ? delay : RetryPolicy.ofDefaults().maxDelay();
      try {
        b.backoff(delay, max);
      } catch (IllegalArgumentException e) {
        problems.add("retry.max-delay", "retry.maxDelay", e.getMessage() + ": make retry.max-delay at least"
            + " retry.delay");
      }
    }
    if (r.getFailoverAfter() != null) {
      try {
        b.failoverAfter(r.getFailoverAfter());
      } catch (IllegalArgumentException e) {
        problems.add("retry.failover-after", "retry.failoverAfter", e.getMessage());
      }
    }
    return b.build();
  }

  static CircuitBreakerPolicy breaker(OrchestratorProperties.CircuitBreaker c, Problems problems) {
    CircuitBreakerPolicy d = CircuitBreakerPolicy.ofDefaults();
    CircuitBreakerPolicy.Builder b = d.toBuilder();
    if (c.getFailures() != null) {
      try {
        b.failureThreshold(c.getFailures());
      } catch (IllegalArgumentException e) {
        problems.add("circuit-breaker.failures", "circuitBreaker.failures", e.getMessage());
      }
    }
    if (c.getWindow() != null) {
      try {
        b.window(duration(problems, "circuit-breaker.window", "circuitBreaker.window", c.getWindow(), d.window()));
      } catch (IllegalArgumentException e) {
        problems.add("circuit-breaker.window", "circuitBreaker.window", e.getMessage());
      }
    }
    Duration openFor = c.getOpenFor() == null ? d.openFor()
        : duration(problems, "circuit-breaker.open-for", "circuitBreaker.openFor", c.getOpenFor(), d.openFor());
    // Without max-open-for the openings grow up to the default's hour, or stay at a longer open-for (as the CLI does).
    Duration maxOpenFor = c.getMaxOpenFor() != null
        ? duration(problems, "circuit-breaker.max-open-for", "circuitBreaker.maxOpenFor", c.getMaxOpenFor(),
            d.maxOpenFor())
        : openFor.compareTo(d.maxOpenFor()) > 0 ? openFor : d.maxOpenFor();
    try {
      b.openFor(openFor);
    } catch (IllegalArgumentException e) {
      problems.add("circuit-breaker.open-for", "circuitBreaker.openFor", e.getMessage());
    }
    try {
      b.maxOpenFor(maxOpenFor);
    } catch (IllegalArgumentException e) {
      problems.add("circuit-breaker.max-open-for", "circuitBreaker.maxOpenFor", e.getMessage());
    }
    if (c.getProbes() != null) {
      try {
        b.probes(c.getProbes());
      } catch (IllegalArgumentException e) {
        problems.add("circuit-breaker.probes", "circuitBreaker.probes", e.getMessage());
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      problems.add("circuit-breaker", "circuitBreaker", e.getMessage());
      return d;
    }
  }

  static List<Budget> budgets(List<OrchestratorProperties.BudgetLimit> limits, Problems problems) {
    List<Budget> out = new ArrayList<>();
    for (int i = 0; i < limits.size(); i++) {
      OrchestratorProperties.BudgetLimit l = limits.get(i);
      String at = "budgets[" + i + "]";
      int scopes = (l.getProject() != null ? 1 : 0) + (l.getProvider() != null ? 1 : 0) + (l.isGlobal() ? 1 : 0);
      if (scopes != 1) {
        problems.add(at, at, "must name exactly one of project, provider or global: true (found " + scopes + "),"
            + " such as {project: blog, limit: 100}, {provider: claude, daily-limit: 20} or {global: true, limit: 500}");
        continue;
      }
      boolean daily = l.getDailyLimit() != null;
      if (daily && l.getProvider() == null) {
        problems.add(at + ".daily-limit", at + ".dailyLimit", "is for a provider's limit per day: use limit for a"
            + " project or the global limit");
        continue;
      }
      if (daily && l.getLimit() != null) {
        problems.add(at + ".limit", at + ".limit", "give either limit or daily-limit for provider '"
            + l.getProvider() + "', not both (add another entry for the other)");
        continue;
      }
      String amount = daily ? l.getDailyLimit() : l.getLimit();
      String field = daily ? "daily-limit" : "limit";
      if (amount == null) {
        problems.add(at + ".limit", at + ".limit", "is missing: give the limit in US dollars, such as limit: 100");
        continue;
      }
      try {
        BudgetScope scope = l.getProject() != null ? BudgetScope.project(l.getProject())
            : l.getProvider() != null
                ? (daily ? BudgetScope.providerDaily(lower(l.getProvider())) : BudgetScope.provider(lower(l.getProvider())))
                : BudgetScope.global();
        out.add(Budget.of(scope, ConfigValues.parseMoney(field, amount)));
      } catch (IllegalArgumentException e) {
        problems.add(at + "." + field, at + "." + (daily ? "dailyLimit" : "limit"), e.getMessage());
      }
    }
    return out;
  }

  static List<Instance> providers(OrchestratorProperties p, Problems problems) {
    List<Instance> out = new ArrayList<>();
    p.getProviders().forEach((rawName, pr) -> {
      String name = lower(rawName);
      String at = "providers." + rawName;
      String field = "providers[" + rawName + "]";
      if (name.equals(RESERVED)) {
        problems.add(at, field, "the instance name '" + RESERVED + "' is reserved: tasks assigned to it let the "
            + "learning strategy choose; rename the instance, such as 'auto-1'");
        return;
      }
      ProviderOptions.Builder o = ProviderOptions.builder();
      if (pr.getMaxConcurrentCalls() != null) {
        try {
          o.maxConcurrentCalls(pr.getMaxConcurrentCalls());
        } catch (IllegalArgumentException e) {
          problems.add(at + ".max-concurrent-calls", field + ".maxConcurrentCalls", e.getMessage());
        }
      }
      RateLimit rate = RateLimit.none();
      try {
        if (pr.getRequestsPerMinute() != null) {
          rate = RateLimit.requestsPerMinute(pr.getRequestsPerMinute());
        }
      } catch (IllegalArgumentException e) {
        problems.add(at + ".requests-per-minute", field + ".requestsPerMinute", e.getMessage());
      }
      try {
        if (pr.getTokensPerMinute() != null) {
          rate = rate.equals(RateLimit.none()) ? RateLimit.tokensPerMinute(pr.getTokensPerMinute())
              : rate.andTokensPerMinute(pr.getTokensPerMinute());
        }
      } catch (IllegalArgumentException e) {
        problems.add(at + ".tokens-per-minute", field + ".tokensPerMinute", e.getMessage());
      }
      o.rateLimit(rate);
      try {
        o.taskTypes(pr.getTaskTypes().toArray(String[]::new));
      } catch (IllegalArgumentException e) {
        problems.add(at + ".task-types", field + ".taskTypes", e.getMessage());
      }
      PluginConfig config = null;
      if (pr.getType() != null) {
        if (pr.getType().isBlank()) {
          problems.add(at + ".type", field + ".type", "must name a provider type such as openai, anthropic, gemini, "
              + "cli or simulator (was blank); leave it out only to give options to an AiProvider bean named '"
              + name + "'");
        } else {
          config = new PluginConfig(name, lower(pr.getType()), pluginProperties(pr));
        }
      } else if (pr.getModel() != null || pr.getBaseUrl() != null || pr.getApiKey() != null
          || pr.getApiKeyEnv() != null || !pr.getProperties().isEmpty()) {
        problems.add(at + ".type", field + ".type", "is missing: name the provider type that creates '" + name
            + "', such as openai, anthropic, gemini, cli or simulator");
      }
      if (pr.getApiKey() != null && pr.getApiKey().isBlank()) {
        problems.addSecret(at + ".api-key", field + ".apiKey", "is blank (the placeholder's variable may be unset):"
            + " set the key, or leave api-key out and set api-key-env to the variable that holds it");
      }
      out.add(new Instance(name, config, o.build()));
    });
    return out;
  }

  /** The plugin's properties: the named ones in the plugin's spelling, then the others in camelCase. */
  static Map<String, String> pluginProperties(OrchestratorProperties.Provider pr) {
    Map<String, String> props = new LinkedHashMap<>();
    pr.getProperties().forEach((k, v) -> props.put(Names.camel(k), v));
    put(props, "model", pr.getModel());
    put(props, "apiKey", pr.getApiKey());
    put(props, "apiKeyEnv", pr.getApiKeyEnv());
    put(props, "baseUrl", pr.getBaseUrl());
    return props;
  }

  private static void put(Map<String, String> props, String key, @Nullable String value) {
    if (value != null) {
      props.put(key, value);
    }
  }

  private static void learning(String at, String field, OrchestratorProperties.Learning l, Problems problems) {
    if (l.getStrategy() == null && !l.getProperties().isEmpty()) {
      problems.add(at + ".strategy", field + ".strategy", "is missing while " + at + ".properties are set: name"
          + " a strategy such as adaptive, best-quality, cheapest-acceptable or as-assigned");
    } else if (l.getStrategy() != null && l.getStrategy().isBlank()) {
      problems.add(at + ".strategy", field + ".strategy", "must name a learning strategy such as adaptive, "
          + "best-quality, cheapest-acceptable or as-assigned (was blank)");
    }
  }

  static @Nullable ZoneId zone(@Nullable String zone, Problems problems) {
    if (zone == null) {
      return null;
    }
    try {
      return ZoneId.of(zone.strip());
    } catch (RuntimeException e) {
      problems.add("time-zone", "timeZone", "is not a time zone (was " + Problems.shown(zone) + "): use a region "
          + "such as Europe/Paris or America/New_York, or UTC");
      return null;
    }
  }

  static Duration duration(Problems problems, String property, String field, @Nullable String text,
      Duration otherwise) {
    if (text == null) {
      return otherwise;
    }
    try {
      return ConfigValues.parseDuration(property.substring(property.lastIndexOf('.') + 1), text);
    } catch (IllegalArgumentException e) {
      problems.add(property, field, e.getMessage());
      return otherwise;
    }
  }

  static String lower(String s) {
    return s.strip().toLowerCase(Locale.ROOT);
  }
}
