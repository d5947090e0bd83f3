package dev.orchestrator.spring.boot;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.dashboard.Dashboard;
import dev.orchestrator.dashboard.DashboardOptions;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the orchestrator's web {@link Dashboard} when {@code orchestrator.dashboard.enabled=true}: on its own web
 * server, at {@code orchestrator.dashboard.host}:{@code port}, beside the application's (it is not mounted into it).
 * Closed when the context closes. Without {@code orchestrator-dashboard} on the class path, the enabled dashboard
 * stops startup with the dependency to add.
 */
@AutoConfiguration(after = OrchestratorAutoConfiguration.class)
@ConditionalOnProperty(prefix = "orchestrator.dashboard", name = "enabled", havingValue = "true")
@ConditionalOnBean(Orchestrator.class)
public class OrchestratorDashboardAutoConfiguration {
  /** For Spring. */
  public OrchestratorDashboardAutoConfiguration() {}

  /** The dashboard, when its module is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.orchestrator.dashboard.Dashboard")
  static class Started {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Dashboard orchestratorDashboard(Orchestrator orchestrator, OrchestratorProperties properties) {
      OrchestratorProperties.DashboardSettings d = properties.getDashboard();
      DashboardOptions.Builder b = DashboardOptions.builder().host(d.getHost()).port(d.getPort());
      if (d.getAccessToken() != null) {
        b.accessToken(d.getAccessToken());
      }
      if (!d.getProjects().isEmpty()) {
        b.projects(d.getProjects());
      }
      if (d.getDefaultProject() != null) {
        b.defaultProject(d.getDefaultProject());
      }
      DashboardOptions options;
      try {
        options = b.build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new IllegalStateException("orchestrator.dashboard: " + e.getMessage(), e);
      }
      return Dashboard.start(orchestrator, options);
    }
  }

  /** The dashboard is asked for, but its module is missing. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("dev.orchestrator.dashboard.Dashboard")
  static class Missing {
    @Bean
    Object orchestratorDashboard() {
      throw new IllegalStateException("orchestrator.dashboard.enabled is true, but the dashboard is not on the class"
          + " path: add the dependency dev.orchestrator:orchestrator-dashboard, or set orchestrator.dashboard.enabled"
          + " to false");
    }
  }
}
