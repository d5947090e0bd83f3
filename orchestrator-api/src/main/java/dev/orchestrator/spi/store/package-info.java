/**
 * For plugin authors: the {@link dev.orchestrator.spi.store.Store} SPI, the only place engine state lives.
 */
@NullMarked
package dev.orchestrator.spi.store;

import org.jspecify.annotations.NullMarked;
