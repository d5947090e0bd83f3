/**
 * For application developers: reusable, parameterised workflows.
 *
 * <p>A {@link dev.orchestrator.templates.Template} is read from JSON (the roadmap's format plus optional
 * extensions, described by the JSON Schema {@code dev/orchestrator/templates/template.schema.json} shipped in
 * this jar) and turned into a {@link dev.orchestrator.workflow.Workflow} by
 * {@link dev.orchestrator.templates.Template#instantiate(java.util.Map)}. A
 * {@link dev.orchestrator.templates.TemplateLibrary} gathers templates from explicit files, the user's template
 * directory, template packs on the class path and the built-in library, in that order of precedence.
 *
 * <pre>{@code
 * TemplateLibrary library = TemplateLibrary.ofDefaults();
 * Workflow blog = library.require("blog_post_pipeline").instantiate(Map.of(
 *     "topic", "home composting",
 *     "target_length", 1200,
 *     "seo_keywords", List.of("compost bin", "kitchen scraps")));
 * }</pre>
 *
 * <p>{@link dev.orchestrator.templates.ProjectTemplate} holds the configuration that sets up a new project in one
 * step (providers, budgets, policies, notification rules, workflow templates to install).
 */
@NullMarked
package dev.orchestrator.templates;

import org.jspecify.annotations.NullMarked;
