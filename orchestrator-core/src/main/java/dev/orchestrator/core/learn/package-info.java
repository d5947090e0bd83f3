/**
 * Learning from outcomes, for application developers: {@link dev.orchestrator.core.learn.OutcomeProjection} folds
 * the store's event stream into {@link dev.orchestrator.learn.OutcomeStatistics} (per project and for every
 * project), and {@link dev.orchestrator.core.learn.Strategies} holds the built-in
 * {@link dev.orchestrator.learn.LearningStrategy} implementations, discovered through {@code META-INF/services}.
 */
@NullMarked
package dev.orchestrator.core.learn;

import org.jspecify.annotations.NullMarked;
