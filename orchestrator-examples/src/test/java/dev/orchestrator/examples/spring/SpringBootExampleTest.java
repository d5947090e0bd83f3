package dev.orchestrator.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Spring Boot sample runs as documented: configured from its YAML, on the application's DataSource. */
class SpringBootExampleTest {
  @Test
  void runsTheWorkflowFromTheYaml() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RunSnapshot done = SpringBootExample.run("tides", new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(done.tasks()).extracting(t -> t.provider()).containsExactly("chatgpt", "claude");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("SUCCEEDED", "JdbcStore on the application's"
        + " DataSource", "== Draft", "== Edit");
  }
}
