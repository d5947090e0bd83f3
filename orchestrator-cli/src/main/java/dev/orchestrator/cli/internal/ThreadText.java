package dev.orchestrator.cli.internal;

import dev.orchestrator.event.Event;
import dev.orchestrator.event.MessageExchangedEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conversations of a run's tasks (with their collaborators, and with their reviewers), for {@code logs}: each
 * task's messages in order, whole, by attempt, each headed by who spoke to whom, its kind, tokens and cost.
 */
final class ThreadText {
  private ThreadText() {}

  static void print(Cli cli, List<Event> events) {
    Map<String, List<MessageExchangedEvent>> threads = new LinkedHashMap<>();
    for (Event e : events) {
      if (e instanceof MessageExchangedEvent m) {
        threads.computeIfAbsent(m.taskId(), k -> new ArrayList<>()).add(m);
      }
    }
    for (List<MessageExchangedEvent> thread : threads.values()) {
      cli.out().println();
      cli.say("logs.conversation", thread.get(0).taskId());
      int attempt = 0;
      for (MessageExchangedEvent m : thread) {
        if (m.attempt() != attempt) {
          attempt = m.attempt();
          cli.say("logs.conversationAttempt", attempt);
        }
        cli.say("logs.turn", m.from(), m.to(), m.kind(), m.usage().inputTokens(), m.usage().outputTokens(),
            Tables.money(m.cost()));
        for (String line : m.text().split("\n", -1)) {
          cli.out().println("  " + line);
        }
      }
    }
  }
}
