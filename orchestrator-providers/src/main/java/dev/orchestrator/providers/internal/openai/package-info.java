/**
 * Internal: the OpenAI Chat Completions provider (also any OpenAI-compatible server). For this module only: it has <b>no compatibility promise</b> and may change in any release.
 * Create instances through the factories in {@code dev.orchestrator.providers}.
 */
@NullMarked
package dev.orchestrator.providers.internal.openai;

import org.jspecify.annotations.NullMarked;
