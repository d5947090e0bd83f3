/**
 * Learning from outcomes: what each provider instance achieved on each task type ({@link
 * dev.orchestrator.learn.ProviderStats}, read together as {@link dev.orchestrator.learn.OutcomeStatistics}), and the
 * {@link dev.orchestrator.learn.LearningStrategy} SPI that turns those figures into a choice of provider for a task.
 *
 * <p>For application developers, the statistics and the {@link dev.orchestrator.learn.Choice} a strategy made; for
 * plugin authors, {@link dev.orchestrator.learn.LearningStrategy} and {@link
 * dev.orchestrator.learn.LearningStrategyFactory}, discovered through {@code META-INF/services}. A strategy's test
 * extends {@code LearningStrategyContract} from {@code orchestrator-testkit}.
 */
@NullMarked
package dev.orchestrator.learn;

import org.jspecify.annotations.NullMarked;
