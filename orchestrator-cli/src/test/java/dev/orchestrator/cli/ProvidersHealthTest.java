package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code providers} tells the truth: HEALTH from a real probe of each real instance (a local OpenAI-compatible server
 * here), and CIRCUIT from the state the store shares with every process.
 */
class ProvidersHealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path temp;
  CliHarness cli;

  @AfterEach
  void close() {
    cli.close();
  }

  private void configure(String baseUrl) throws Exception {
    cli = new CliHarness(temp.resolve("data"));
    Files.writeString(cli.dataDir.resolve("config.json"), """
        {
          "providers": { "local": { "type": "openai", "baseUrl": "%s", "model": "llama" } },
          "defaultProvider": "local",
          "timeZone": "UTC",
          "policies": { "retry": { "maxAttempts": 1 }, "circuitBreaker": { "failures": 1 } }
        }
        """.formatted(baseUrl));
  }

  @Test
  void anAnsweringServerIsUpWithItsLatencyAndAFailingOneIsDownWithItsCircuitOpenForEveryProcess() throws Exception {
    try (HttpStub up = new HttpStub(200)) {
      configure(up.url("/v1"));
      CliHarness.Result r = cli.run("providers");
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).containsPattern("local +openai +llama +real +up \\(\\d+ ms\\) +CLOSED");
      assertThat(up.requests()).extracting(HttpStub.Request::path).containsExactly("/v1/models");
      JsonNode json = JSON.readTree(cli.run("providers", "--json").out()).get(0);
      assertThat(json.get("probe").asText()).isEqualTo("UP");
      assertThat(json.get("probeLatencyMs").isNumber()).isTrue();
      cli.close();
    }
    try (HttpStub failing = new HttpStub(500)) {
      configure(failing.url("/v1"));
      Path task = temp.resolve("one.json");
      Files.writeString(task, """
          { "name": "One", "tasks": [ {"id": "a", "title": "A", "instructions": "say hi"} ] }
          """);
      cli.run("run", task.toString());
      CliHarness.Result r = cli.run("providers");
      assertThat(r.out()).contains("DOWN: GET /v1/models answered 500").containsPattern("OPEN until \\d{4}-");
    }
  }

  @Test
  void anUnreachableServerIsDownNamingItsAddressAndADryRunWarnsOfIt() throws Exception {
    HttpStub gone = new HttpStub(200);
    String url = gone.url("/v1");
    gone.close();
    configure(url);
    CliHarness.Result r = cli.run("providers", "--json");
    JsonNode local = JSON.readTree(r.out()).get(0);
    assertThat(local.get("probe").asText()).isEqualTo("DOWN");
    assertThat(local.get("probeDetail").asText()).contains("cannot connect to " + url + "/models");

    Path task = temp.resolve("one.json");
    Files.writeString(task, """
        { "name": "One", "tasks": [ {"id": "a", "title": "A", "instructions": "say hi"} ] }
        """);
    CliHarness.Result plan = cli.run("dry-run", task.toString());
    assertThat(plan.code()).as(plan.toString()).isZero();
    assertThat(plan.out()).contains("Warning: provider local: cannot connect to " + url + "/models");
    JsonNode json = JSON.readTree(cli.run("dry-run", task.toString(), "--json").out());
    assertThat(json.get("unreachable").get(0).asText()).startsWith("local: cannot connect to");
  }
}
