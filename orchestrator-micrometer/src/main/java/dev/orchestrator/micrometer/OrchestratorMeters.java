package dev.orchestrator.micrometer;

/**
 * The names and tag keys of the meters that {@link OrchestratorMetrics} registers, in Micrometer's dotted form; each
 * registry renders them in its own convention (Prometheus: {@code orchestrator_attempts_total},
 * {@code orchestrator_provider_latency_seconds}, {@code orchestrator_cost_usd_total}, ...).
 *
 * <p>Every tag's values are bounded: task states, lanes, provider instance names, project names, error kinds and
 * budget scopes. No run id or task id is ever a tag.
 *
 * @since 0.1
 */
public final class OrchestratorMeters {
  /** Gauge: tasks of unfinished runs in each state. Tag {@link #STATE}. */
  public static final String TASKS = "orchestrator.tasks";
  /** Gauge: tasks of unfinished runs that are ready and wait for a slot, per lane. Tag {@link #LANE}. */
  public static final String QUEUE_DEPTH = "orchestrator.queue.depth";
  /** Counter: ended provider attempts. Tags {@link #PROVIDER}, {@link #OUTCOME}, {@link #ERROR}. */
  public static final String ATTEMPTS = "orchestrator.attempts";
  /** Timer: how long provider attempts took, start to end, on the engine's clock. Tags {@link #PROVIDER}, {@link #OUTCOME}. */
  public static final String PROVIDER_LATENCY = "orchestrator.provider.latency";
  /** Counter: tokens of the calls that completed tasks. Tags {@link #PROVIDER}, {@link #TYPE}. */
  public static final String TOKENS = "orchestrator.tokens";
  /** Counter, base unit {@code usd}: cost of the calls that completed tasks. Tags {@link #PROVIDER}, {@link #PROJECT}. */
  public static final String COST = "orchestrator.cost";
  /** Gauge: spent divided by the limit of each budget, 1.0 meaning used up. Tags {@link #SCOPE}, {@link #NAME}. */
  public static final String BUDGET_UTILISATION = "orchestrator.budget.utilisation";
  /** Gauge: 1 for a provider's current circuit state, 0 for the others. Tags {@link #PROVIDER}, {@link #STATE}. */
  public static final String BREAKER_STATE = "orchestrator.breaker.state";

  /** A task state in lower case ({@code running}, {@code retry_wait}, ...), or a circuit state. */
  public static final String STATE = "state";
  /** A lane: {@code high}, {@code medium}, {@code low}. */
  public static final String LANE = "lane";
  /** A provider instance name, as configured. */
  public static final String PROVIDER = "provider";
  /** How an attempt ended: {@code success}, {@code failure}, {@code cancelled} or {@code interrupted}. */
  public static final String OUTCOME = "outcome";
  /** The failure's kind in lower case ({@code rate_limited}, {@code timeout}, ...), {@code none} otherwise. */
  public static final String ERROR = "error";
  /** Token type: {@code input}, {@code output}, {@code cached_input}, {@code cache_write}, {@code reasoning}. */
  public static final String TYPE = "type";
  /** A project name. */
  public static final String PROJECT = "project";
  /** A budget's level: {@code global}, {@code project}, {@code provider}, {@code provider_daily}. */
  public static final String SCOPE = "scope";
  /** A budget's name: the project or provider it limits, {@code all} for the global budget. */
  public static final String NAME = "name";

  private OrchestratorMeters() {}
}
