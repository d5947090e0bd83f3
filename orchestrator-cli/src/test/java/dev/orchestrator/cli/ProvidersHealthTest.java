package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
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
  void statusSaysWhatEachWaitingTaskWaitsForInTextAndJson() throws Exception {
    try (HttpStub failing = new HttpStub(500)) {
      configure(failing.url("/v1"));
      Path one = temp.resolve("one.json");
      Files.writeString(one, """
          { "name": "One", "tasks": [ {"id": "a", "title": "A", "instructions": "say hi"} ] }
          """);
      cli.run("run", one.toString()); // fails once: the circuit (failures 1) opens for every process
      Path two = temp.resolve("two.json");
      Files.writeString(two, """
          { "name": "Two", "tasks": [ {"id": "first", "title": "First", "instructions": "x"},
            {"id": "second", "title": "Second", "instructions": "y", "depends_on": ["first"]} ] }
          """);
      String run = JSON.readTree(cli.run("run", "--cluster", two.toString(), "--json").out()).get("runId").asText();
      // Queued for a worker, which none runs: the first task waits for an engine, the second for the first.
      CliHarness.Result text = cli.run("status", run);
      assertThat(text.out()).contains("WAITING FOR", "it is queued as soon as an engine executes the run",
          "waits for first (BLOCKED)");
      JsonNode waiting = JSON.readTree(cli.run("status", run, "--json").out()).get("waiting");
      assertThat(waiting.get("second").asText()).isEqualTo("waits for first (BLOCKED)");
      // Executed here, its provider's circuit open: the task says so while it waits (cancelled to end the test).
      String waitingRun = JSON.readTree(cli.run("run", "--cluster", one.toString(), "--json").out()).get("runId")
          .asText();
      StringWriter live = new StringWriter();
      Thread resume = new Thread(() -> cli.run(live, "resume", waitingRun));
      resume.start();
      try {
        JsonNode why = null;
        for (long deadline = System.nanoTime() + 20_000_000_000L; System.nanoTime() < deadline; ) {
          why = JSON.readTree(cli.run("status", waitingRun, "--json").out()).get("waiting").get("a");
          if (why != null && why.asText().contains("circuit is open")) {
            break;
          }
          Thread.onSpinWait();
        }
        assertThat(why).as("the reason of a, within 20 s").isNotNull();
        assertThat(why.asText()).contains("provider local's circuit is open until");
      } finally {
        cli.run("cancel", waitingRun);
        resume.join(30_000);
      }
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
