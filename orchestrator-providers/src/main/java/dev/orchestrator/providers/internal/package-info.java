/**
 * Internal: the machinery shared by the bundled providers (settings, HTTP transport, server-sent events, error
 * classification, pricing, redaction). For this module only: it has <b>no compatibility promise</b> and may change
 * in any release. Use the factories in {@code dev.orchestrator.providers} instead.
 */
@NullMarked
package dev.orchestrator.providers.internal;

import org.jspecify.annotations.NullMarked;
