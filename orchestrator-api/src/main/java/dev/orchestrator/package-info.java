/**
 * Types for application developers: money, priorities, time scheduling and the root exception.
 *
 * <p>Workflows are built in {@link dev.orchestrator.workflow}, runs are observed through
 * {@link dev.orchestrator.run} and {@link dev.orchestrator.event}; plugin authors start at
 * {@link dev.orchestrator.spi}. The engine itself lives in {@code orchestrator-core}.
 */
@NullMarked
package dev.orchestrator;

import org.jspecify.annotations.NullMarked;
