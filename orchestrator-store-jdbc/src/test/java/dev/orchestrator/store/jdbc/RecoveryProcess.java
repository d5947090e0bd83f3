package dev.orchestrator.store.jdbc;

import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process for {@link EmbeddedRecoveryIT}. {@code start DIR}: runs a -> b -> c on the embedded store, with b's call
 * never ending, prints {@code RUNNING <runId>} once b runs and waits to be killed. {@code resume DIR RUN}: starts an
 * engine on the same store, which recovers the run, answers every call at once, and prints the tasks when done.
 */
public final class RecoveryProcess {
  private RecoveryProcess() {}

  /** Answers "done: <prompt>", or never when {@code hangOnB} and the task is b. */
  static final class Answering implements AiProvider {
    private final boolean hangOnB;

    Answering(boolean hangOnB) {
      this.hangOnB = hangOnB;
    }

    @Override
    public String name() {
      return "p";
    }

    @Override
    public String type() {
      return "test";
    }

    @Override
    public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
      if (hangOnB && context.taskId().equals("b")) {
        return new CompletableFuture<>();
      }
      return CompletableFuture.completedFuture(ProviderResponse.of("done: " + request.prompt(), TokenUsage.of(1, 1)));
    }

    @Override
    public CostEstimate estimate(ProviderRequest request) {
      return CostEstimate.free();
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    if (args[0].equals("start")) {
      Orchestrator o = Orchestrator.builder().store(JdbcStore.embedded(dir)).provider(new Answering(true)).build();
      Run run = o.submit("demo", Workflow.builder("chain")
          .task("a", t -> t.instructions("A"))
          .task("b", t -> t.instructions("B after {{tasks.a.output}}").dependsOn("a"))
          .task("c", t -> t.instructions("C").dependsOn("b"))
          .build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (run.task("b").state() != TaskState.RUNNING && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      System.out.println("RUNNING " + run.id());
      System.out.flush();
      new CompletableFuture<Void>().get(); // waits to be killed
    } else {
      try (Orchestrator o = Orchestrator.builder().store(JdbcStore.embedded(dir)).provider(new Answering(false))
          .build()) {
        RunSnapshot done = o.run("demo", args[2]).orElseThrow().completion().get(60, TimeUnit.SECONDS);
        StringBuilder sb = new StringBuilder(done.status().name());
        for (TaskRecord t : done.tasks()) {
          sb.append(' ').append(t.taskId()).append('=').append(t.state()).append('/').append(t.attempts().size());
        }
        System.out.println("DONE " + sb);
      }
    }
  }
}
