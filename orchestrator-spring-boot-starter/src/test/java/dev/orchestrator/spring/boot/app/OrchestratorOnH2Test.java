package dev.orchestrator.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spring.boot.OrchestratorEndpoint;
import dev.orchestrator.store.jdbc.JdbcStore;
import dev.orchestrator.workflow.Workflow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A Spring Boot application started from {@code application-h2.yml}: the orchestrator runs a workflow on its offline
 * instances and keeps it in the application's H2 database, and the actuator reports on it.
 */
@SpringBootTest(classes = TestApplication.class)
@ActiveProfiles("h2")
class OrchestratorOnH2Test {
  @Autowired
  Orchestrator orchestrator;

  @Autowired
  Store store;

  @Autowired
  DataSource dataSource;

  @Autowired
  HealthEndpoint health;

  @Autowired
  OrchestratorEndpoint endpoint;

  @Test
  void runsAWorkflowFromTheYamlAndKeepsItInTheApplicationsDatabase() throws Exception {
    assertThat(orchestrator.engineName()).isEqualTo("spring-test");
    assertThat(orchestrator.providers()).containsExactly("editor", "writer");
    assertThat(store).isInstanceOf(JdbcStore.class);

    Workflow blog = Workflow.builder("blog-post")
        .task("draft", t -> t.title("Draft").instructions("Write a short post on {{topic}}"))
        .task("edit", t -> t.title("Edit").instructions("Tighten this:\n{{tasks.draft.output}}")
            .provider("editor").dependsOn("draft"))
        .build();
    RunSnapshot done = orchestrator.submit("blog", blog, Map.of("topic", "tides")).completion()
        .get(60, TimeUnit.SECONDS);

    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(done.tasks()).extracting(TaskRecord::taskId, TaskRecord::provider)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("draft", "writer"),
            org.assertj.core.groups.Tuple.tuple("edit", "editor"));
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT status FROM runs WHERE run_id = '" + done.run().id() + "'")) {
      assertThat(rs.next()).as("the run is a row of the application's database").isTrue();
      assertThat(rs.getString(1)).isEqualTo("SUCCEEDED");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> projects = (Map<String, Object>) endpoint.summary().get("projects");
    assertThat(projects).containsKey("blog");
    assertThat(endpoint.summary().get("budgets")).asString().contains("project", "blog", "$25.00");
  }

  @Test
  void theHealthIndicatorReportsTheStoreAndEveryProvidersCircuit() {
    HealthComponent all = health.health();
    assertThat(all.getStatus()).isEqualTo(Status.UP);
    Health own = (Health) ((CompositeHealth) all).getComponents().get("orchestrator");
    assertThat(own.getStatus()).isEqualTo(Status.UP);
    assertThat(own.getDetails()).containsEntry("engine", "spring-test");
    assertThat(own.getDetails().get("store")).asString().contains("type=JdbcStore", "durable=true",
        "status=reachable");
    assertThat(own.getDetails().get("providers")).asString().contains("writer={circuit=CLOSED",
        "editor={circuit=CLOSED");
  }
}
