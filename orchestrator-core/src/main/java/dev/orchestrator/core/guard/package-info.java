/**
 * Built-in guards for application developers: secrets, personal data, JSON schemas, lengths and patterns, and
 * command-line agents. Configure them on the engine builder with {@code guard(...)}; {@link
 * dev.orchestrator.core.guard.SecretGuard} and {@link dev.orchestrator.core.guard.JsonSchemaGuard} are on by default.
 */
@NullMarked
package dev.orchestrator.core.guard;

import org.jspecify.annotations.NullMarked;
