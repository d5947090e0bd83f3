/**
 * For application developers: turning a request written in words into a checked workflow template.
 *
 * <p>A {@link dev.orchestrator.templates.plan.WorkflowPlanner} reads a request such as <i>"Write a blog post about
 * AI orchestration, have ChatGPT draft it, then Claude review for tone, target 1500 words, publish to /blog/"</i>
 * and returns a {@link dev.orchestrator.templates.plan.WorkflowPlan}: a template in the roadmap's JSON format,
 * loaded and checked exactly like a template written by hand, with what the planner assumed and what it did not
 * understand. Two planners ship: {@link dev.orchestrator.templates.plan.OfflinePlanner} (deterministic rules, no
 * provider needed) and {@link dev.orchestrator.templates.plan.LlmPlanner} (asks a configured provider, through the
 * engine, so the call is costed and budgeted like any task).
 *
 * <pre>{@code
 * PlanningContext context = PlanningContext.builder()
 *     .provider("claude", "anthropic").provider("chatgpt", "openai").provider("gemini", "gemini")
 *     .defaultProvider("chatgpt").build();
 * WorkflowPlan plan = OfflinePlanner.create().plan("Research tides, then have Claude summarise it", context);
 * Workflow workflow = plan.template().instantiate(Map.of());
 * }</pre>
 */
@NullMarked
package dev.orchestrator.templates.plan;

import org.jspecify.annotations.NullMarked;
