/**
 * Workflows for application developers: an immutable, validated graph of {@link dev.orchestrator.workflow.TaskSpec}s
 * built with {@link dev.orchestrator.workflow.Workflow#builder(String)}.
 *
 * <pre>{@code
 * Workflow blog = Workflow.builder("blog")
 *     .task("research", t -> t.instructions("Research {{topic}}").provider("chatgpt"))
 *     .task("draft", t -> t.instructions("Draft from: {{tasks.research.output}}").dependsOn("research"))
 *     .build();
 * }</pre>
 */
@NullMarked
package dev.orchestrator.workflow;

import org.jspecify.annotations.NullMarked;
