package dev.orchestrator.store.jdbc;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One worker JVM of {@link ClusterKillIT}: an engine that claims runs on the PostgreSQL schema named by the first
 * argument, named by the second, calling a {@link FixedCostProvider}; a third and fourth argument, if given, are the
 * provider's latency in milliseconds (20 by default) and the engine's limit of concurrent calls (16 by default). It
 * runs until its standard input ends (or it is killed).
 * The server comes from the {@code ORCHESTRATOR_TEST_POSTGRES_*} environment, so the password is not on the command
 * line.
 */
public final class ClusterWorkerMain {
  private ClusterWorkerMain() {}

  public static void main(String[] args) throws IOException {
    String schema = args[0];
    String workerId = args[1];
    long latencyMillis = args.length > 2 ? Long.parseLong(args[2]) : 20;
    int concurrentCalls = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    try (JdbcStore store = JdbcStore.postgres(PostgresTestServer.urlFor(schema), PostgresTestServer.USER,
            PostgresTestServer.PASSWORD);
        FixedCostProvider provider = new FixedCostProvider(latencyMillis);
        Orchestrator worker = Orchestrator.builder().store(store).clock(Clock.systemUTC()).provider(provider)
            .engineName(workerId).lease(Duration.ofSeconds(2)).syncInterval(Duration.ofMillis(200))
            .maxConcurrentCalls(concurrentCalls)
            .retryPolicy(RetryPolicy.builder().fixedDelay(Duration.ofMillis(100)).build())
            .build()) {
      System.out.println("worker " + workerId + " started");
      System.out.flush();
      while (System.in.read() >= 0) {
        // runs until the parent closes our standard input
      }
    }
  }

  /** Answers every call after a fixed latency, for exactly {@link #COST}; never fails. */
  static final class FixedCostProvider implements AiProvider {
    static final Money COST = Money.usd("0.01");
    /** What each call reserves, and what a call cut off by a crash is recorded at. */
    static final Money WORST = Money.usd("0.02");
    private final long latencyMillis;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fixed-cost-provider");
      t.setDaemon(true);
      return t;
    });

    FixedCostProvider() {
      this(20);
    }

    FixedCostProvider(long latencyMillis) {
      this.latencyMillis = latencyMillis;
    }

    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public String type() {
      return "fixed-cost";
    }

    @Override
    public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
      CompletableFuture<ProviderResponse> f = new CompletableFuture<>();
      timer.schedule(() -> f.complete(ProviderResponse.builder().text("done: " + request.prompt())
          .usage(TokenUsage.of(10, 5)).cost(COST).build()), latencyMillis, TimeUnit.MILLISECONDS);
      return f;
    }

    @Override
    public CostEstimate estimate(ProviderRequest request) {
      return CostEstimate.of(TokenUsage.of(10, 5), COST, COST, WORST, Duration.ofMillis(20));
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
