package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine on its own threads, driven from many threads, with replies arriving on other threads. */
class ConcurrencyTest {

  @Test
  void manySubmittersAndAsynchronousRepliesLoseNothing() throws Exception {
    ExecutorService replies = Executors.newFixedThreadPool(4);
    FakeProvider echo = FakeProvider.echo("p");
    // Completes every call on another thread, as an HTTP client would.
    dev.orchestrator.spi.provider.AiProvider async = new dev.orchestrator.spi.provider.AiProvider() {
      @Override
      public String name() {
        return "p";
      }

      @Override
      public String type() {
        return "async";
      }

      @Override
      public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
        return CompletableFuture.supplyAsync(() -> echo.complete(request, context).join(), replies);
      }

      @Override
      public dev.orchestrator.spi.provider.CostEstimate estimate(ProviderRequest request) {
        return dev.orchestrator.spi.provider.CostEstimate.free();
      }
    };
    Workflow diamond = Workflow.builder("diamond")
        .task("top", t -> t.instructions("top"))
        .task("left", t -> t.instructions("left {{tasks.top.output}}").dependsOn("top"))
        .task("right", t -> t.instructions("right").dependsOn("top"))
        .task("bottom", t -> t.instructions("bottom").dependsOn("left", "right"))
        .build();
    ExecutorService submitters = Executors.newFixedThreadPool(8);
    try (Orchestrator o = Orchestrator.builder().provider(async, 16).build()) {
      List<Future<Run>> submitted = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String project = "project-" + (i % 5);
        submitted.add(submitters.submit(() -> o.submit(project, diamond)));
      }
      for (Future<Run> f : submitted) {
        Run run = f.get(30, TimeUnit.SECONDS);
        assertThat(run.completion().get(30, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.SUCCEEDED);
      }
      assertThat(echo.callCount()).isEqualTo(400 * 4);
      for (int p = 0; p < 5; p++) {
        assertThat(o.runs("project-" + p)).hasSize(80);
      }
    } finally {
      submitters.shutdownNow();
      replies.shutdownNow();
    }
  }
}
