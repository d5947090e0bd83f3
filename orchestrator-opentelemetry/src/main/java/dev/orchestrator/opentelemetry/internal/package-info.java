/**
 * The tracing module's internals: the attribute keys, the spans built from events, and the JSON of captured
 * content. No compatibility promise: anything here may change in any release. Nothing outside
 * {@code orchestrator-opentelemetry} but tests may import it.
 */
@NullMarked
package dev.orchestrator.opentelemetry.internal;

import org.jspecify.annotations.NullMarked;
