/**
 * Resilience policies for application developers: {@link dev.orchestrator.policy.RetryPolicy},
 * {@link dev.orchestrator.policy.CircuitBreakerPolicy} and {@link dev.orchestrator.policy.RateLimit}, set on the
 * engine globally or per provider, and retries per task.
 */
@NullMarked
package dev.orchestrator.policy;

import org.jspecify.annotations.NullMarked;
