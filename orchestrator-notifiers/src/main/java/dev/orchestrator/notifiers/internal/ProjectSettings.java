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
 * @param links makes the signed one-tap links of questions' notifications, or null for none
 */
public record ProjectSettings(Locale locale, @Nullable URI dashboardUrl, Duration digestWindow, List<Rule> rules,
    Map<String, ChannelSpec> channels, dev.orchestrator.notifiers.@Nullable ActionLinks links) {
  public ProjectSettings {
    rules = List.copyOf(rules);
    channels = Map.copyOf(channels);
  }

  /** Settings without one-tap links. */
  public ProjectSettings(Locale locale, @Nullable URI dashboardUrl, Duration digestWindow, List<Rule> rules,
      Map<String, ChannelSpec> channels) {
    this(locale, dashboardUrl, digestWindow, rules, channels, null);
  }

  /** These settings, questions' notifications carrying signed one-tap links made by {@code links}. */
  public ProjectSettings withLinks(dev.orchestrator.notifiers.@Nullable ActionLinks links) {
    return new ProjectSettings(locale, dashboardUrl, digestWindow, rules, channels, links);
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
