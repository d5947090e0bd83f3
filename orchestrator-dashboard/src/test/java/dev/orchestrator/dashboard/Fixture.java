package dev.orchestrator.dashboard;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.Run;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import java.util.function.Consumer;

/**
 * An orchestrator on the engine's real threads, with two fake providers whose calls hang until the test answers
 * them, and a dashboard in front. Tests decide when a task goes from RUNNING to SUCCEEDED.
 */
final class Fixture implements AutoCloseable {
  final FakeProvider claude;
  final FakeProvider chatgpt;
  final EventWaiter events = new EventWaiter();
  /** The engine's store, for tests that write what other engines sharing it would (the engine offers only reads). */
  final dev.orchestrator.core.InMemoryStore store = dev.orchestrator.core.InMemoryStore.create();
  final Orchestrator orchestrator;
  final Dashboard dashboard;

  private Fixture(DashboardOptions options, Consumer<FakeProvider.Builder> claudeScript,
      Consumer<Orchestrator.Builder> engine) {
    FakeProvider.Builder c = FakeProvider.builder("claude").otherwise(req -> Reply.hang());
    claudeScript.accept(c);
    this.claude = c.build();
    this.chatgpt = FakeProvider.builder("chatgpt").otherwise(req -> Reply.hang()).build();
    Orchestrator.Builder b = Orchestrator.builder()
        .store(store)
        .provider(claude, 1)
        .provider(chatgpt, 2)
        .defaultProvider("claude")
        .listener(events);
    engine.accept(b);
    this.orchestrator = b.build();
    Dashboard d;
    try {
      d = Dashboard.start(orchestrator, options);
    } catch (RuntimeException e) {
      orchestrator.close();
      throw e;
    }
    this.dashboard = d;
  }

  static Fixture start() {
    return start(DashboardOptions.ofDefaults(), c -> { }, b -> { });
  }

  static Fixture start(DashboardOptions options) {
    return start(options, c -> { }, b -> { });
  }

  static Fixture start(DashboardOptions options, Consumer<FakeProvider.Builder> claudeScript,
      Consumer<Orchestrator.Builder> engine) {
    return new Fixture(options, claudeScript, engine);
  }

  /**
   * Answers a hanging call of a fake provider with text and a cost. The engine emits TaskStartedEvent just before it
   * calls the provider, on its dispatch thread; a round trip through that thread (any engine query) ensures the call
   * was made.
   */
  void answer(FakeProvider provider, int call, String text, String dollars) {
    orchestrator.circuit(provider.name());
    if (provider.callCount() <= call) {
      throw new AssertionError(provider + " has " + provider.callCount() + " calls, not " + (call + 1));
    }
    provider.calls().get(call).future().complete(ProviderResponse.builder().text(text)
        .usage(TokenUsage.of(100, 50)).cost(Money.usd(dollars)).build());
  }

  Run run(String project, String runId) {
    return orchestrator.run(project, runId).orElseThrow();
  }

  @Override
  public void close() {
    dashboard.close();
    orchestrator.close();
  }
}
