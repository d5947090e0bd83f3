/**
 * For application developers: the bridge to LangChain4j.
 *
 * <ul>
 * <li>{@link dev.orchestrator.langchain4j.LangChain4jProvider} makes any LangChain4j
 *     {@code dev.langchain4j.model.chat.ChatModel} a provider instance of the engine, priced from the price table and
 *     with its failures classified as the bundled providers' are, so retries, failover and circuit breakers treat it
 *     the same way;
 * <li>{@link dev.orchestrator.langchain4j.WorkflowTool} offers a workflow (or a template) to a LangChain4j agent as a
 *     tool: the agent's call submits a run and the tool answers with the run's outputs.
 * </ul>
 *
 * {@code docs/langchain4j.md} shows both with runnable examples.
 */
@NullMarked
package dev.orchestrator.langchain4j;

import org.jspecify.annotations.NullMarked;
