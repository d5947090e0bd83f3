package dev.orchestrator.notifiers.internal;

import dev.orchestrator.event.Event;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications through a store's outbox: an event of this process is noted (to wait for its notifications when
 * the process closes) and asks the {@link OutboxLoop} for a pass soon; the engine has stored it already, and the
 * loop reads it from the store. Thread-safe.
 */
public final class OutboxPipeline implements Pipeline {
  private static final Logger log = LoggerFactory.getLogger(OutboxPipeline.class);

  private final OutboxLoop loop;
  private final OwnEvents own;
  private final Channels channels;

  public OutboxPipeline(OutboxLoop loop, OwnEvents own, Channels channels) {
    this.loop = loop;
    this.own = own;
    this.channels = channels;
  }

  @Override
  public void accept(Event event) {
    own.emitted(event);
    loop.nudge();
  }

  @Override
  public int close(Duration wait) {
    OutboxLoop.Drain d = loop.drain(wait);
    log.debug("Notifications closed (deliveredWhileClosing={}, left={}, released={})", d.delivered(), d.left(),
        d.released());
    channels.close();
    return d.left();
  }
}
