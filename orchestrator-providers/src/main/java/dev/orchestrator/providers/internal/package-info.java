/**
 * Internal: the bundled vendors' wire formats ({@code openai}, {@code anthropic}, {@code gemini}), the command-line
 * agents ({@code cli}) and the offline simulator. For this module only: it has <b>no compatibility promise</b> and
 * may change in any release. Use the factories in {@code dev.orchestrator.providers}, or build a plugin on the public
 * toolkit in {@code dev.orchestrator.providers.http}.
 */
@NullMarked
package dev.orchestrator.providers.internal;

import org.jspecify.annotations.NullMarked;
