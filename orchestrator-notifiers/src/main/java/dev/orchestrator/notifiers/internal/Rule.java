package dev.orchestrator.notifiers.internal;

import dev.orchestrator.Priority;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One notification rule: which events (of which priorities) go to which channels. Immutable.
 *
 * @param event the rule event name, or null for every event ({@code "*"})
 * @param priorities the priorities matched; empty matches every priority
 * @param channels the channel names to notify; empty means "stay silent"
 */
public record Rule(@Nullable String event, Set<Priority> priorities, List<String> channels) {
  public Rule {
    priorities = Set.copyOf(priorities);
    channels = List.copyOf(channels);
  }

  /** Whether it applies to a notification of this event and priority. */
  public boolean matches(String eventName, Priority priority) {
    return (event == null || event.equals(eventName)) && (priorities.isEmpty() || priorities.contains(priority));
  }
}
