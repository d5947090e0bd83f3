package dev.orchestrator.notifiers.internal;

import dev.orchestrator.spi.notifier.Notifier;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured channels and their notifiers: which notifier sends a project's channel. Immutable once built (the
 * notifiers themselves are thread-safe); {@link #close()} closes every notifier.
 */
public final class Channels implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Channels.class);

  /** A channel ready to send. */
  public record Resolved(ChannelSpec spec, Notifier notifier) {}

  private final Function<String, Optional<ProjectSettings>> settings;
  private final Map<ChannelSpec, Notifier> notifiers;
  private final Failures failures;

  /**
   * @param notifiers one notifier per distinct channel configuration
   */
  public Channels(Function<String, Optional<ProjectSettings>> settings, Map<ChannelSpec, Notifier> notifiers,
      Failures failures) {
    this.settings = settings;
    this.notifiers = Map.copyOf(notifiers);
    this.failures = failures;
  }

  /** The project's settings, if it is notified. */
  public Optional<ProjectSettings> settings(String project) {
    return settings.apply(project);
  }

  /** The notifier of a project's channel, if this process has it configured. */
  public Optional<Resolved> resolve(String project, String channel) {
    return settings.apply(project).map(s -> s.channels().get(channel))
        .flatMap(spec -> Optional.ofNullable(notifiers.get(spec)).map(n -> new Resolved(spec, n)));
  }

  /** Closes every notifier; sends in flight may fail. */
  @Override
  public void close() {
    notifiers.forEach((spec, n) -> {
      try {
        n.close();
      } catch (Exception e) {
        log.warn("Notifier did not close cleanly (channel={}, type={}, error={})", spec.name(), spec.type(),
            failures.scrub(e.toString()));
      }
    });
  }
}
