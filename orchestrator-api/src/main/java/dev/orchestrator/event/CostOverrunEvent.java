package dev.orchestrator.event;

import dev.orchestrator.Money;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A call cost more than its budget reservation: the provider's estimate was not a true worst case (or it said the
 * call was free), so spending under a limit may exceed the limit by {@code actual - reserved}. Fix the provider's
 * estimate, its {@code maxCostPerCall} or the model's price.
 *
 * @param provider the provider instance called
 * @param model the model that answered, or null when the reply did not say
 * @param reserved what the call reserved before it was made (zero when its estimate said it was free)
 * @param actual what it cost
 * @since 0.1
 */
public record CostOverrunEvent(String project, String runId, String taskId, Instant at, String provider,
    @Nullable String model, Money reserved, Money actual) implements TaskEvent {}
