package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.MessageExchangedEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.store.StoredEvent;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task's conversation with a collaborator on a durable store: the workflow's collaborators reach the store with
 * the run, and every message event is stored and read back whole, by this store and by another opened on the same
 * data afterwards.
 */
abstract class ConversationEventsStoreTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-05T09:00:00Z"), ZoneOffset.UTC);
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  /** A new, empty store. */
  abstract JdbcStore store();

  /** Another store on the data of the last one {@link #store()} opened. */
  abstract JdbcStore reopen();

  private static List<MessageExchangedEvent> messages(JdbcStore store) {
    return store.eventsAfter(0, 10_000).stream().map(StoredEvent::event)
        .filter(MessageExchangedEvent.class::isInstance).map(MessageExchangedEvent.class::cast).toList();
  }

  @Test
  void messageEventsAreStoredAndReadBackWhole() {
    // no tool calling: the text protocol
    FakeProvider chatgpt = FakeProvider.builder("chatgpt").costPerCall(Money.usd("0.01"))
        .script(FakeProvider.Reply.text("ASK claude: Does this tone match our brand voice?",
            TokenUsage.of(12, 8)), FakeProvider.Reply.text("A warmer draft.", TokenUsage.of(40, 9))).build();
    FakeProvider claude = FakeProvider.builder("claude").costPerCall(Money.usd("0.02"))
        .script(FakeProvider.Reply.text("Too formal; be warmer.", TokenUsage.of(20, 6))).build();
    Workflow w = Workflow.builder("post").task("draft", t -> t.instructions("Draft a launch post.")
        .provider("chatgpt").collaborators("claude").maxExchanges(2)).build();
    List<MessageExchangedEvent> seen;
    String runId;
    try (JdbcStore store = store();
        Orchestrator o = Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run)
            .store(store).provider(chatgpt).provider(claude).build()) {
      Run run = o.submit("demo", w);
      runId = run.id();
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.task("draft").output()).isEqualTo("A warmer draft.");
      assertThat(run.task("draft").attempts().get(0).cost()).isEqualTo(Money.usd("0.04"));
      seen = messages(store);
      assertThat(store.definition("demo", runId).orElseThrow()).contains("\"collaborators\":[\"claude\"]");
    }
    assertThat(seen).extracting(MessageExchangedEvent::kind).containsExactly(MessageExchangedEvent.QUESTION,
        MessageExchangedEvent.ANSWER, MessageExchangedEvent.FINAL);
    MessageExchangedEvent answer = seen.get(1);
    assertThat(answer.from()).isEqualTo("claude");
    assertThat(answer.to()).isEqualTo("chatgpt");
    assertThat(answer.text()).isEqualTo("Too formal; be warmer.");
    assertThat(answer.usage()).isEqualTo(TokenUsage.of(20, 6));
    assertThat(answer.cost()).isEqualTo(Money.usd("0.02"));
    assertThat(answer.runId()).isEqualTo(runId);
    assertThat(answer.attempt()).isEqualTo(1);

    try (JdbcStore reopened = reopen()) {
      assertThat(messages(reopened)).isEqualTo(seen);
    }
  }
}
