package dev.orchestrator.spring.boot;

import dev.orchestrator.spring.boot.internal.PropertiesCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The orchestrator's settings under {@code orchestrator.*} in {@code application.yml}: the same settings as the
 * command line's configuration file ({@code docs/cli.md}), in Spring's kebab-case.
 *
 * <pre>{@code
 * orchestrator:
 *   default-provider: chatgpt
 *   providers:
 *     chatgpt: { type: openai, model: gpt-4o-mini, max-concurrent-calls: 4 }
 *     local:   { type: openai, base-url: http://127.0.0.1:11434/v1, model: llama3.2 }
 *   budgets:
 *     - { project: blog, limit: 100 }
 *     - { provider: chatgpt, daily-limit: 20 }
 *   retry: { max-attempts: 4, delay: 1m, max-delay: 8m, failover-after: 2 }
 *   circuit-breaker: { failures: 3, window: 10m, open-for: 1h, probes: 1 }
 * }</pre>
 *
 * <p>Durations and amounts are written in the project's one grammar ({@link dev.orchestrator.spi.ConfigValues}:
 * {@code 500ms}, {@code 30s}, {@code 1h30m}, {@code PT30S}; {@code 12}, {@code $0.50}). Every value is checked when the
 * application starts: a wrong one stops it with the property, the value and what to write instead. API keys are
 * never shown in those messages.
 *
 * <p>A Spring binding target: mutable JavaBeans, read once at start-up. Not thread-safe.
 */
@ConfigurationProperties(prefix = "orchestrator")
public class OrchestratorProperties implements Validator {
  /** Whether the orchestrator is configured at all. */
  private boolean enabled = true;

  /**
   * This engine's name in the store's leases (shown in logs, status and the dashboard); unique per process. By
   * default {@code spring@<host>:<pid>:<random>}.
   */
  private @Nullable String engineName;

  /**
   * Whether this engine also executes runs it did not submit: runs queued for any engine and the runs of engines
   * that stopped. Set false for an application that only submits, reads and steers.
   */
  private boolean claimRuns = true;

  /** How long this engine holds a run without renewing its lease, at least 1s. */
  private String lease = "30s";

  /** The provider instance of tasks that name none; needed when more than one instance is configured. */
  private @Nullable String defaultProvider;

  /** The most calls in flight at once of an instance without its own limit. */
  private int maxConcurrentCalls = 8;

  /** The time zone whose midnight starts a new day for daily budgets, such as Europe/Paris; the system's by default. */
  private @Nullable String timeZone;

  /**
   * Whether the default guards run: prompts holding a credential are blocked, credentials in outputs redacted, and
   * outputs that expect JSON are checked against their schema.
   */
  private boolean defaultGuards = true;

  /**
   * Whether an instance of type openai, anthropic or gemini whose API key is not set runs on the offline simulator
   * (priced like its model, every reply marked as simulated) instead of failing its calls: for development without
   * keys. A warning names each such instance and the variable to set.
   */
  private boolean simulateMissingKeys;

  /** Provider instances by name: what tasks, budgets and the default provider call them. */
  private Map<String, Provider> providers = new LinkedHashMap<>();

  /**
   * Spending limits set when the application starts (each replaces the stored limit of its scope): one of
   * {@code project}, {@code provider} or {@code global: true}, with {@code limit} (or {@code daily-limit} for a
   * provider).
   */
  private List<BudgetLimit> budgets = new ArrayList<>();

  /** How failed tasks are retried. */
  private final Retry retry = new Retry();

  /** When a provider that keeps failing is rested. */
  private final CircuitBreaker circuitBreaker = new CircuitBreaker();

  /** The learning strategy of every project without its own. */
  private final Learning learning = new Learning();

  /** Shadow evaluation: a cheaper candidate compared on a sample of successful tasks; off unless sample-rate is set. */
  private final Shadow shadow = new Shadow();

  /** Traces, when orchestrator-opentelemetry and an OpenTelemetry bean are present. */
  private final Tracing tracing = new Tracing();

  /** Settings of single projects, by project name. */
  private Map<String, ProjectSettings> projects = new LinkedHashMap<>();

  /** Where runs, budgets and events are kept. */
  private final StoreSettings store = new StoreSettings();

  /** The web dashboard, on its own port. */
  private final DashboardSettings dashboard = new DashboardSettings();

  @Override
  public boolean supports(Class<?> type) {
    return OrchestratorProperties.class.isAssignableFrom(type);
  }

  /** Checks every value; a wrong one is rejected with its property, its value (never a secret's) and the fix. */
  @Override
  public void validate(Object target, Errors errors) {
    PropertiesCheck.check((OrchestratorProperties) target, errors);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getEngineName() {
    return engineName;
  }

  public void setEngineName(@Nullable String engineName) {
    this.engineName = engineName;
  }

  public boolean isClaimRuns() {
    return claimRuns;
  }

  public void setClaimRuns(boolean claimRuns) {
    this.claimRuns = claimRuns;
  }

  public String getLease() {
    return lease;
  }

  public void setLease(String lease) {
    this.lease = lease;
  }

  public @Nullable String getDefaultProvider() {
    return defaultProvider;
  }

  public void setDefaultProvider(@Nullable String defaultProvider) {
    this.defaultProvider = defaultProvider;
  }

  public int getMaxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  public void setMaxConcurrentCalls(int maxConcurrentCalls) {
    this.maxConcurrentCalls = maxConcurrentCalls;
  }

  public @Nullable String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(@Nullable String timeZone) {
    this.timeZone = timeZone;
  }

  public boolean isDefaultGuards() {
    return defaultGuards;
  }

  public void setDefaultGuards(boolean defaultGuards) {
    this.defaultGuards = defaultGuards;
  }

  public boolean isSimulateMissingKeys() {
    return simulateMissingKeys;
  }

  public void setSimulateMissingKeys(boolean simulateMissingKeys) {
    this.simulateMissingKeys = simulateMissingKeys;
  }

  public Map<String, Provider> getProviders() {
    return providers;
  }

  public void setProviders(Map<String, Provider> providers) {
    this.providers = providers;
  }

  public List<BudgetLimit> getBudgets() {
    return budgets;
  }

  public void setBudgets(List<BudgetLimit> budgets) {
    this.budgets = budgets;
  }

  public Retry getRetry() {
    return retry;
  }

  public CircuitBreaker getCircuitBreaker() {
    return circuitBreaker;
  }

  public Learning getLearning() {
    return learning;
  }

  public Shadow getShadow() {
    return shadow;
  }

  public Tracing getTracing() {
    return tracing;
  }

  public Map<String, ProjectSettings> getProjects() {
    return projects;
  }

  public void setProjects(Map<String, ProjectSettings> projects) {
    this.projects = projects;
  }

  public StoreSettings getStore() {
    return store;
  }

  public DashboardSettings getDashboard() {
    return dashboard;
  }

  /** One provider instance: {@code orchestrator.providers.<name>.*}. */
  public static class Provider {
    /**
     * The plugin type that creates the instance: openai, anthropic, gemini, cli, simulator, or a third-party type on
     * the class path. Leave it out to give options to an AiProvider bean of this name.
     */
    private @Nullable String type;

    /** The model, such as gpt-4o-mini or claude-sonnet-4-5. */
    private @Nullable String model;

    /**
     * The API key. Prefer api-key-env, or a placeholder such as ${OPENAI_API_KEY}: never write a key into a file you
     * commit. Never shown in logs, errors or the actuator.
     */
    private @Nullable String apiKey;

    /** The property or environment variable holding the API key, such as OPENAI_API_KEY (the type's own by default). */
    private @Nullable String apiKeyEnv;

    /** The server's base URL, for a compatible or local server, such as http://127.0.0.1:11434/v1. */
    private @Nullable String baseUrl;

    /** The most calls of this instance in flight at once; the engine-wide max-concurrent-calls by default. */
    private @Nullable Integer maxConcurrentCalls;

    /** Requests per minute this instance may be sent; no limit by default. */
    private @Nullable Integer requestsPerMinute;

    /** Tokens per minute this instance may be sent; no limit by default. */
    private @Nullable Long tokensPerMinute;

    /** Task types this instance can take over in a failover, such as code_generation. */
    private List<String> taskTypes = new ArrayList<>();

    /**
     * Any other property of the plugin, as its documentation names it (docs/providers.md), such as
     * {@code timeout: 90s}, {@code max-cost-per-call: "2.00"} or {@code price.input: "0"}; kebab-case keys are given
     * to the plugin in camelCase.
     */
    private Map<String, String> properties = new LinkedHashMap<>();

    public @Nullable String getType() {
      return type;
    }

    public void setType(@Nullable String type) {
      this.type = type;
    }

    public @Nullable String getModel() {
      return model;
    }

    public void setModel(@Nullable String model) {
      this.model = model;
    }

    public @Nullable String getApiKey() {
      return apiKey;
    }

    public void setApiKey(@Nullable String apiKey) {
      this.apiKey = apiKey;
    }

    public @Nullable String getApiKeyEnv() {
      return apiKeyEnv;
    }

    public void setApiKeyEnv(@Nullable String apiKeyEnv) {
      this.apiKeyEnv = apiKeyEnv;
    }

    public @Nullable String getBaseUrl() {
      return baseUrl;
    }

    public void setBaseUrl(@Nullable String baseUrl) {
      this.baseUrl = baseUrl;
    }

    public @Nullable Integer getMaxConcurrentCalls() {
      return maxConcurrentCalls;
    }

    public void setMaxConcurrentCalls(@Nullable Integer maxConcurrentCalls) {
      this.maxConcurrentCalls = maxConcurrentCalls;
    }

    public @Nullable Integer getRequestsPerMinute() {
      return requestsPerMinute;
    }

    public void setRequestsPerMinute(@Nullable Integer requestsPerMinute) {
      this.requestsPerMinute = requestsPerMinute;
    }

    public @Nullable Long getTokensPerMinute() {
      return tokensPerMinute;
    }

    public void setTokensPerMinute(@Nullable Long tokensPerMinute) {
      this.tokensPerMinute = tokensPerMinute;
    }

    public List<String> getTaskTypes() {
      return taskTypes;
    }

    public void setTaskTypes(List<String> taskTypes) {
      this.taskTypes = taskTypes;
    }

    public Map<String, String> getProperties() {
      return properties;
    }

    public void setProperties(Map<String, String> properties) {
      this.properties = properties;
    }

    @Override
    public String toString() {
      return "Provider[type=" + type + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "***") + "]";
    }
  }

  /** One spending limit: an element of {@code orchestrator.budgets}. */
  public static class BudgetLimit {
    /** The project the limit holds for. */
    private @Nullable String project;

    /** The provider instance the limit holds for. */
    private @Nullable String provider;

    /** Whether the limit holds for everything. */
    private boolean global;

    /** The limit in US dollars, such as 100 or $12.50. */
    private @Nullable String limit;

    /** A provider's limit per day (days start at midnight in time-zone), in US dollars. */
    private @Nullable String dailyLimit;

    public @Nullable String getProject() {
      return project;
    }

    public void setProject(@Nullable String project) {
      this.project = project;
    }

    public @Nullable String getProvider() {
      return provider;
    }

    public void setProvider(@Nullable String provider) {
      this.provider = provider;
    }

    public boolean isGlobal() {
      return global;
    }

    public void setGlobal(boolean global) {
      this.global = global;
    }

    public @Nullable String getLimit() {
      return limit;
    }

    public void setLimit(@Nullable String limit) {
      this.limit = limit;
    }

    public @Nullable String getDailyLimit() {
      return dailyLimit;
    }

    public void setDailyLimit(@Nullable String dailyLimit) {
      this.dailyLimit = dailyLimit;
    }
  }

  /** {@code orchestrator.retry.*}: unset values keep the defaults (5 attempts, 1m to 8m, failover after 2). */
  public static class Retry {
    /** Attempts in all, the first included, at least 1. */
    private @Nullable Integer maxAttempts;

    /** The first wait between attempts, such as 1m. */
    private @Nullable String delay;

    /** The longest wait between attempts, such as 8m. */
    private @Nullable String maxDelay;

    /** Failures on one provider after which the next attempt goes to the next candidate, at least 1. */
    private @Nullable Integer failoverAfter;

    public @Nullable Integer getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(@Nullable Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public @Nullable String getDelay() {
      return delay;
    }

    public void setDelay(@Nullable String delay) {
      this.delay = delay;
    }

    public @Nullable String getMaxDelay() {
      return maxDelay;
    }

    public void setMaxDelay(@Nullable String maxDelay) {
      this.maxDelay = maxDelay;
    }

    public @Nullable Integer getFailoverAfter() {
      return failoverAfter;
    }

    public void setFailoverAfter(@Nullable Integer failoverAfter) {
      this.failoverAfter = failoverAfter;
    }
  }

  /** {@code orchestrator.circuit-breaker.*}: unset values keep the defaults (docs/resilience.md). */
  public static class CircuitBreaker {
    /** Failures within the window that open the circuit, at least 1. */
    private @Nullable Integer failures;

    /** How far back failures count, such as 10m. */
    private @Nullable String window;

    /** How long the circuit stays open the first time, such as 1h. */
    private @Nullable String openFor;

    /** The longest the circuit stays open as openings grow; the default's hour, or open-for when longer. */
    private @Nullable String maxOpenFor;

    /** Probe calls allowed while half-open, at least 1. */
    private @Nullable Integer probes;

    public @Nullable Integer getFailures() {
      return failures;
    }

    public void setFailures(@Nullable Integer failures) {
      this.failures = failures;
    }

    public @Nullable String getWindow() {
      return window;
    }

    public void setWindow(@Nullable String window) {
      this.window = window;
    }

    public @Nullable String getOpenFor() {
      return openFor;
    }

    public void setOpenFor(@Nullable String openFor) {
      this.openFor = openFor;
    }

    public @Nullable String getMaxOpenFor() {
      return maxOpenFor;
    }

    public void setMaxOpenFor(@Nullable String maxOpenFor) {
      this.maxOpenFor = maxOpenFor;
    }

    public @Nullable Integer getProbes() {
      return probes;
    }

    public void setProbes(@Nullable Integer probes) {
      this.probes = probes;
    }
  }

  /** A learning strategy ({@code docs/learning.md}): {@code orchestrator.learning.*}. */
  public static class Learning {
    /** The strategy's name: adaptive, best-quality, cheapest-acceptable, as-assigned, or one on the class path. */
    private @Nullable String strategy;

    /** The strategy's settings, such as seed: 42, margin: 0.05, min-samples: 5 (camelCase for the strategy). */
    private Map<String, String> properties = new LinkedHashMap<>();

    public @Nullable String getStrategy() {
      return strategy;
    }

    public void setStrategy(@Nullable String strategy) {
      this.strategy = strategy;
    }

    public Map<String, String> getProperties() {
      return properties;
    }

    public void setProperties(Map<String, String> properties) {
      this.properties = properties;
    }
  }

  /** Traces ({@code docs/tracing.md}): {@code orchestrator.tracing.*}. */
  public static class Tracing {
    /** Whether spans carry prompts and outputs (gen_ai.input.messages, gen_ai.output.messages); off by default. */
    private boolean captureContent;

    public boolean isCaptureContent() {
      return captureContent;
    }

    public void setCaptureContent(boolean captureContent) {
      this.captureContent = captureContent;
    }
  }

  /** Shadow evaluation ({@code docs/learning.md}): {@code orchestrator.shadow.*}. */
  public static class Shadow {
    /** The share of successful tasks compared, 0 to 1, such as 0.1; shadow evaluation is off when it is not set. */
    private @Nullable Double sampleRate;

    /** The seed of the sampling and of the order the judge sees the answers in. */
    private long seed;

    /** A challenger that wins N of its last M comparisons on a task type is promoted for it: "N of M". */
    private String promoteAfter = "3 of 5";

    /** The most one comparison may cost at its worst case, such as $0.05; no cap when not set. */
    private @Nullable String maxCostPerComparison;

    /** The provider instance that judges tasks without a reviewer; without one, only reviewed tasks are compared. */
    private @Nullable String judge;

    public @Nullable Double getSampleRate() {
      return sampleRate;
    }

    public void setSampleRate(@Nullable Double sampleRate) {
      this.sampleRate = sampleRate;
    }

    public long getSeed() {
      return seed;
    }

    public void setSeed(long seed) {
      this.seed = seed;
    }

    public String getPromoteAfter() {
      return promoteAfter;
    }

    public void setPromoteAfter(String promoteAfter) {
      this.promoteAfter = promoteAfter;
    }

    public @Nullable String getMaxCostPerComparison() {
      return maxCostPerComparison;
    }

    public void setMaxCostPerComparison(@Nullable String maxCostPerComparison) {
      this.maxCostPerComparison = maxCostPerComparison;
    }

    public @Nullable String getJudge() {
      return judge;
    }

    public void setJudge(@Nullable String judge) {
      this.judge = judge;
    }
  }

  /** One project's settings: {@code orchestrator.projects.<name>.*}. */
  public static class ProjectSettings {
    /** The project's own learning strategy, instead of orchestrator.learning. */
    private final Learning learning = new Learning();

    public Learning getLearning() {
      return learning;
    }
  }

  /** The kinds of store {@code orchestrator.store.type} chooses from. */
  public enum StoreType {
    /** The application's DataSource when it has exactly one, else in memory. */
    AUTO,
    /** The application's DataSource (H2 or PostgreSQL); startup fails without one. */
    DATASOURCE,
    /** In memory: everything is lost when the application stops. */
    MEMORY,
    /** An embedded H2 file in orchestrator.store.path, which the command line can share. */
    EMBEDDED
  }

  /** {@code orchestrator.store.*}. */
  public static class StoreSettings {
    /** Which store: auto, datasource, memory or embedded. */
    private StoreType type = StoreType.AUTO;

    /** The data directory of the embedded store (type embedded), such as ./data or ~/.orchestrator/store. */
    private @Nullable String path;

    public StoreType getType() {
      return type;
    }

    public void setType(StoreType type) {
      this.type = type;
    }

    public @Nullable String getPath() {
      return path;
    }

    public void setPath(@Nullable String path) {
      this.path = path;
    }
  }

  /** {@code orchestrator.dashboard.*}: the dashboard runs on its own web server, beside the application's. */
  public static class DashboardSettings {
    /** Whether to start the dashboard (it needs orchestrator-dashboard on the class path). */
    private boolean enabled;

    /** The host or address to bind; anything but a loopback address needs an access-token. */
    private String host = "127.0.0.1";

    /** The port to bind; 0 picks a free one (logged at start). */
    private int port = 7070;

    /** The secret every request must present, at least 16 characters; required off loopback. Never logged. */
    private @Nullable String accessToken;

    /** The projects shown; every project by default. */
    private List<String> projects = new ArrayList<>();

    /** The project shown first. */
    private @Nullable String defaultProject;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getHost() {
      return host;
    }

    public void setHost(String host) {
      this.host = host;
    }

    public int getPort() {
      return port;
    }

    public void setPort(int port) {
      this.port = port;
    }

    public @Nullable String getAccessToken() {
      return accessToken;
    }

    public void setAccessToken(@Nullable String accessToken) {
      this.accessToken = accessToken;
    }

    public List<String> getProjects() {
      return projects;
    }

    public void setProjects(List<String> projects) {
      this.projects = projects;
    }

    public @Nullable String getDefaultProject() {
      return defaultProject;
    }

    public void setDefaultProject(@Nullable String defaultProject) {
      this.defaultProject = defaultProject;
    }
  }
}
