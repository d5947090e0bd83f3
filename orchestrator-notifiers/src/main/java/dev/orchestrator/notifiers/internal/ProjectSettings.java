package dev.orchestrator.notifiers.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One project's resolved notification settings. Immutable.
 *
 * @param locale the language of its messages
 * @param dashboardUrl the dashboard's base URL for links, or null
 * @param digestWindow identical notifications within this window are merged; zero disables digests
 * @param rules evaluated in order, the first match decides
 * @param channels by name
 */
public record ProjectSettings(Locale locale, @Nullable URI dashboardUrl, Duration digestWindow, List<Rule> rules,
    Map<String, ChannelSpec> channels) {
  public ProjectSettings {
    rules = List.copyOf(rules);
    channels = Map.copyOf(channels);
  }

  /** The channels the first matching rule names; empty when none matches or it says to stay silent. */
  public List<String> route(String event, dev.orchestrator.Priority priority) {
    for (Rule r : rules) {
      if (r.matches(event, priority)) {
        return r.channels();
      }
    }
    return List.of();
  }
}
