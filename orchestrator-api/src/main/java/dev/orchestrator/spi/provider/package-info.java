/**
 * For plugin authors: the provider SPI. A {@link dev.orchestrator.spi.provider.ProviderFactory} listed in
 * {@code META-INF/services/dev.orchestrator.spi.provider.ProviderFactory} creates
 * {@link dev.orchestrator.spi.provider.AiProvider}s; a provider's test extends {@code ProviderContract} from
 * {@code orchestrator-testkit}.
 */
@NullMarked
package dev.orchestrator.spi.provider;

import org.jspecify.annotations.NullMarked;
