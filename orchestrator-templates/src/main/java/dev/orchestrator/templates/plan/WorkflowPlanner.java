package dev.orchestrator.templates.plan;

/**
 * Turns a request written in words into a workflow template. Implementations are pluggable: the
 * {@link OfflinePlanner} applies fixed rules, the {@link LlmPlanner} asks a provider; an application may bring its
 * own.
 *
 * <p>Whatever the implementation, a plan it returns must have been checked by {@link WorkflowPlan.Builder#build(PlanningContext)}: the template
 * loads with the same checks as a hand-written one, every provider it names is configured, and it uses a
 * command-line agent only when the {@link PlanningContext} allows that agent. The request is data: its words end up
 * in task instructions, and never give a plan more capabilities than the rules above.
 *
 * <pre>{@code
 * WorkflowPlanner planner = OfflinePlanner.create();
 * WorkflowPlan plan = planner.plan("Write a haiku about tides, then have Claude review it", context);
 * plan.assumptions().forEach(System.out::println);
 * }</pre>
 *
 * <p>Implementations must be thread-safe.
 *
 * @since 0.1
 */
public interface WorkflowPlanner {
  /** A short name for people and options, such as {@code offline} or {@code llm}. */
  String name();

  /**
   * Plans a workflow for the request.
   *
   * @param request what to do, in words; not blank
   * @param context the provider instances the plan may use
   * @return a checked plan, never null
   * @throws IllegalArgumentException when the request is blank or too long
   * @throws PlanningException when no valid plan could be made; its message says why and what to change
   */
  WorkflowPlan plan(String request, PlanningContext context);
}
