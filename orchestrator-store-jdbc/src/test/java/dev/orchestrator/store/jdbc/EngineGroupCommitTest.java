package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on a durable store writes each pass of its loop in one transaction; what the pass reports and the calls
 * it starts wait for the commit. Checked from another thread, which sees only what is committed, as another process
 * would.
 */
class EngineGroupCommitTest {
  @TempDir
  Path dataDir;

  /** Reads on another thread: outside the engine's open transaction, like another process. */
  private static <T> T elsewhere(Supplier<T> read) {
    return CompletableFuture.supplyAsync(read).join();
  }

  @Test
  void aCallIsMadeOnlyOnceTheStoreShowsItsStartAndListenersHearOnlyWhatTheStoreShows() {
    List<String> seenByProvider = new CopyOnWriteArrayList<>();
    List<String> seenByListener = new CopyOnWriteArrayList<>();
    try (JdbcStore store = JdbcStore.embedded(dataDir)) {
      AiProvider provider = new AiProvider() {
        @Override
        public String name() {
          return "local";
        }

        @Override
        public String type() {
          return "local";
        }

        @Override
        public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
          TaskRecord t = elsewhere(() -> store.task(context.project(), context.runId(), context.taskId())
              .orElseThrow());
          seenByProvider.add(t.taskId() + " " + t.state() + " attempts=" + t.attempts().size());
          return CompletableFuture.completedFuture(ProviderResponse.of("done", TokenUsage.of(1, 1)));
        }

        @Override
        public CostEstimate estimate(ProviderRequest request) {
          return CostEstimate.free();
        }
      };
      try (Orchestrator orchestrator = Orchestrator.builder().store(store).provider(provider).listener(e -> {
        if (e instanceof TaskSucceededEvent s) {
          seenByListener.add(s.taskId() + " " + elsewhere(() -> store.task(s.project(), s.runId(), s.taskId())
              .orElseThrow().state()));
        } else if (e instanceof RunFinishedEvent f) {
          seenByListener.add("run " + elsewhere(() -> store.run(f.project(), f.runId()).orElseThrow().status()));
        }
      }).build()) {
        Run run = orchestrator.submit("p", Workflow.builder("w")
            .task("a", t -> t.instructions("A"))
            .task("b", t -> t.instructions("B").dependsOn("a"))
            .task("c", t -> t.instructions("C").dependsOn("a"))
            .build());
        assertThat(run.completion().join().run().status()).isEqualTo(RunStatus.SUCCEEDED);
      }
    }
    assertThat(seenByProvider).containsExactlyInAnyOrder("a RUNNING attempts=1", "b RUNNING attempts=1",
        "c RUNNING attempts=1");
    assertThat(seenByListener).containsExactlyInAnyOrder("a SUCCEEDED", "b SUCCEEDED", "c SUCCEEDED",
        "run SUCCEEDED");
    assertThat(seenByListener.get(seenByListener.size() - 1)).isEqualTo("run SUCCEEDED");
  }
}
