package dev.orchestrator.spring.boot;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spring.boot.internal.Assembly;
import dev.orchestrator.spring.boot.internal.StoreChoice;
import java.util.LinkedHashMap;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Configures an {@link Orchestrator} bean from {@code orchestrator.*} ({@link OrchestratorProperties}) and the
 * application's beans: {@link AiProvider}s, {@link ProviderFactory}s, {@link EventSubscriber}s, {@link Guard}s,
 * {@link LearningStrategy}s and {@link OrchestratorBuilderCustomizer}s. Its store is the application's
 * {@link DataSource} when it has one (see {@code orchestrator.store.type}). The orchestrator is closed when the
 * context closes, before the store.
 *
 * <p>Each bean backs off when the application declares its own: a {@link Store} bean is used as the store, an
 * {@link Orchestrator} bean replaces this one. {@code orchestrator.enabled=false} turns it all off.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnClass(Orchestrator.class)
@ConditionalOnProperty(prefix = "orchestrator", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(OrchestratorProperties.class)
public class OrchestratorAutoConfiguration {
  /** For Spring. */
  public OrchestratorAutoConfiguration() {}

  /**
   * The store: {@code orchestrator.store.type} chooses; by default the application's one {@link DataSource}, else
   * memory. Closed with the context (a data source store leaves the data source open).
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Store.class)
  public Store orchestratorStore(OrchestratorProperties properties, ObjectProvider<DataSource> dataSources) {
    DataSource one = dataSources.getIfUnique();
    return StoreChoice.open(properties.getStore(), one, one != null ? 1 : dataSources.stream().limit(2).count());
  }

  /** The orchestrator, started; closed when the context closes. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Orchestrator orchestrator(OrchestratorProperties properties, Store store,
      ObjectProvider<AiProvider> providers, ObjectProvider<ProviderFactory> factories,
      ObjectProvider<EventSubscriber> listeners, ObjectProvider<Guard> guards,
      ObjectProvider<OrchestratorBuilderCustomizer> customizers, ListableBeanFactory beans, Environment environment) {
    ClassLoader loader = beans instanceof ConfigurableBeanFactory c && c.getBeanClassLoader() != null
        ? c.getBeanClassLoader() : OrchestratorAutoConfiguration.class.getClassLoader();
    return new Assembly(properties, store, providers.orderedStream().toList(), factories.orderedStream().toList(),
        listeners.orderedStream().toList(), new LinkedHashMap<>(beans.getBeansOfType(LearningStrategy.class)),
        guards.orderedStream().toList(), customizers.orderedStream().toList(), environment::getProperty, loader)
        .build();
  }
}
