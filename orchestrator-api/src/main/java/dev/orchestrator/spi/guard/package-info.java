/**
 * For plugin authors: the guard SPI. A {@link dev.orchestrator.spi.guard.Guard} checks a task's prompt before it is
 * sent and its output after it arrives, and allows, redacts, flags, asks for a repair, or blocks. Guards are
 * discovered through {@link dev.orchestrator.spi.guard.GuardFactory} in {@code META-INF/services}; a guard's test
 * extends {@code GuardContract} from {@code orchestrator-testkit}.
 */
@NullMarked
package dev.orchestrator.spi.guard;

import org.jspecify.annotations.NullMarked;
