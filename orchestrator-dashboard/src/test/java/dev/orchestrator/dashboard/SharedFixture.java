package dev.orchestrator.dashboard;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Run;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.Scheduler;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Two engines over one store, as two processes would share one: a worker that executes the runs (its fake
 * providers' calls hang until the test answers them), and the dashboard's engine, which executes nothing
 * ({@code claimRuns(false)}, and its providers are never called) and only shows and steers through the store.
 */
final class SharedFixture implements AutoCloseable {
  /**
   * The stores the two engines open: one shared instance (in memory), or two opened on one database as two processes
   * would.
   *
   * @param worker the worker's store, also what tests read
   * @param dashboard the dashboard engine's store
   * @param cleanup closes what the stores opened, after both engines
   */
  record Stores(Store worker, Store dashboard, AutoCloseable cleanup) {
    static Stores inMemory() {
      InMemoryStore store = InMemoryStore.create();
      return new Stores(store, store, () -> { });
    }

    /** The command line's store: one H2 file in {@code dataDir}, opened by each engine as two processes do. */
    static Stores h2(java.nio.file.Path dataDir) {
      dev.orchestrator.store.jdbc.JdbcStore worker = dev.orchestrator.store.jdbc.JdbcStore.embedded(dataDir);
      dev.orchestrator.store.jdbc.JdbcStore dashboard = dev.orchestrator.store.jdbc.JdbcStore.embedded(dataDir);
      return new Stores(worker, dashboard, () -> {
        dashboard.close();
        worker.close();
      });
    }
  }

  private final Stores stores;
  /** The worker's store: what the tests read to know what really happened. */
  final Store store;
  final FakeProvider claude;
  final FakeProvider chatgpt;
  /** The worker's events, as its own listener sees them. */
  final EventWaiter events = new EventWaiter();
  final Orchestrator worker;
  /** The dashboard engine's providers, for checking that it never calls them. */
  final FakeProvider dashboardClaude = FakeProvider.builder("claude").otherwise(req -> Reply.hang()).build();
  final FakeProvider dashboardChatgpt = FakeProvider.builder("chatgpt").otherwise(req -> Reply.hang()).build();
  final Orchestrator observer;
  Dashboard dashboard;
  private final DashboardOptions options;

  /** A real timer for the worker's provider latency, when a test wants calls that end by themselves. */
  final Scheduler.Owned timer = Scheduler.daemon("test-provider-latency");

  private SharedFixture(Stores stores, DashboardOptions options,
      BiConsumer<FakeProvider.Builder, Scheduler> claudeScript, Consumer<Orchestrator.Builder> workerSetup) {
    this.stores = stores;
    this.store = stores.worker();
    FakeProvider.Builder c = FakeProvider.builder("claude").otherwise(req -> Reply.hang());
    claudeScript.accept(c, timer);
    this.claude = c.build();
    this.chatgpt = FakeProvider.builder("chatgpt").otherwise(req -> Reply.hang()).build();
    Orchestrator.Builder w = Orchestrator.builder().store(store).engineName("worker")
        .provider(claude, 1).provider(chatgpt, 2).defaultProvider("claude").listener(events);
    workerSetup.accept(w);
    this.worker = w.build();
    Orchestrator o = null;
    Dashboard d = null;
    try {
      o = Orchestrator.builder().store(stores.dashboard()).engineName("dashboard").claimRuns(false)
          .provider(dashboardClaude).provider(dashboardChatgpt).defaultProvider("claude").build();
      d = Dashboard.start(o, options);
    } catch (RuntimeException e) {
      if (o != null) {
        o.close();
      }
      worker.close();
      timer.close();
      throw e;
    }
    this.observer = o;
    this.dashboard = d;
    this.options = options;
  }

  static SharedFixture start() {
    return start(DashboardOptions.ofDefaults(), c -> { }, w -> { });
  }

  static SharedFixture start(DashboardOptions options, Consumer<FakeProvider.Builder> claudeScript,
      Consumer<Orchestrator.Builder> worker) {
    return start(Stores.inMemory(), options, claudeScript, worker);
  }

  static SharedFixture start(Stores stores, DashboardOptions options, Consumer<FakeProvider.Builder> claudeScript,
      Consumer<Orchestrator.Builder> worker) {
    return new SharedFixture(stores, options, (c, timer) -> claudeScript.accept(c), worker);
  }

  /**
   * A worker whose claude answers every call by itself after {@code latency}, at {@code dollars} a call (the test's
   * real timer drives it), so a workflow runs to its end without the test's help.
   */
  static SharedFixture startAnswering(Stores stores, Duration latency, String dollars) {
    return new SharedFixture(stores, DashboardOptions.ofDefaults(), (c, timer) -> c.scheduler(timer).latency(latency)
        .costPerCall(Money.usd(dollars)).otherwise(req -> Reply.text("done")), w -> { });
  }

  /** Answers the worker's provider call number {@code call} (from 0) once it is made, with text and a cost. */
  void answer(FakeProvider provider, int call, String text, String dollars) {
    Await.until(provider + " making call " + (call + 1), () -> provider.callCount() > call);
    provider.calls().get(call).future().complete(ProviderResponse.builder().text(text)
        .usage(TokenUsage.of(100, 50)).cost(Money.usd(dollars)).build());
  }

  /** Stops the dashboard (its streams end), runs {@code meanwhile}, and starts a new one on the same port. */
  void restartDashboard(Runnable meanwhile) {
    int port = dashboard.port();
    dashboard.close();
    meanwhile.run();
    dashboard = Dashboard.start(observer, options.toBuilder().port(port).build());
  }

  /** The worker's handle of its run. */
  Run run(String project, String runId) {
    return worker.run(project, runId).orElseThrow();
  }

  /** Whether the dashboard's engine has called a provider: it must not, it only observes and steers. */
  int dashboardCalls() {
    return dashboardClaude.callCount() + dashboardChatgpt.callCount();
  }

  @Override
  public void close() {
    dashboard.close();
    observer.close();
    worker.close();
    timer.close();
    try {
      stores.cleanup().close();
    } catch (Exception e) {
      throw new IllegalStateException("the test's stores did not close", e);
    }
  }
}
