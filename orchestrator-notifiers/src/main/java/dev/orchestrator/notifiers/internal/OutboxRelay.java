package dev.orchestrator.notifiers.internal;

import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.spi.store.Outbox;
import dev.orchestrator.spi.store.StoredEvent;
import dev.orchestrator.spi.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays the store's event stream into the outbox: reads the relay's cursor and the events after it, routes them
 * ({@link Routing}: rules, digests, rate limits, on each event's time, with the routing state kept in the cursor), and
 * advances the cursor with the deliveries in one store transaction. When another process advanced first, nothing is
 * written and the next step reads again; so whichever processes relay, each event is routed once.
 *
 * <p>Digest windows close on this process's clock: a step with no new event still flushes the windows that are over,
 * advancing the cursor in place.
 *
 * <p>Not thread-safe: one thread steps it at a time.
 */
public final class OutboxRelay {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /** The relay's name in the outbox. */
  public static final String NAME = "notifications";

  private final Store store;
  private final Outbox outbox;
  private final Function<String, Optional<ProjectSettings>> settings;
  private final Clock clock;
  private final Counters counters;
  private final OwnEvents own;
  private final int batch;
  private final EventMapper mapper;

  /**
   * @param counters where matched, merged and held-back occurrences are counted, once the step that routed them won
   * @param own told of every event read, to find this process's own
   * @param batch how many events one step reads
   */
  public OutboxRelay(Store store, Outbox outbox, Function<String, Optional<ProjectSettings>> settings, Clock clock,
      Counters counters, OwnEvents own, int batch) {
    this.store = store;
    this.outbox = outbox;
    this.settings = settings;
    this.clock = clock;
    this.counters = counters;
    this.own = own;
    this.batch = batch;
    this.mapper = new EventMapper((project, runId, taskId) -> store.task(project, runId, taskId)
        .map(TaskRecord::lane));
  }

  /** What one step did. */
  public enum Step {
    /** Nothing to relay and no window to close. */
    IDLE,
    /** This process advanced the cursor; more events may wait. */
    ADVANCED,
    /** Another process advanced first: nothing was written. */
    LOST
  }

  /** One step: read, route, advance. */
  public Step step() {
    Outbox.Cursor at = outbox.cursor(NAME);
    List<StoredEvent> events = store.eventsAfter(at.position(), batch);
    if (at.position() <= own.scannedUpTo()) {
      own.scanned(events); // contiguous with what was read before; a gap is read by the loop
    }
    RoutingState state;
    try {
      state = RoutingState.read(at.state());
    } catch (IllegalArgumentException e) {
      // Written by another version: start over rather than stop notifications (open digests are lost).
      log.warn("Notification relay state unreadable, starting from an empty one (position={}, error={})",
          at.position(), e.getMessage());
      state = RoutingState.empty();
    }
    Counters step = new Counters();
    Routing routing = new Routing(settings, state, step, "");
    List<Routing.Outgoing> out = new ArrayList<>();
    for (StoredEvent se : events) {
      mapper.map(se.event()).ifPresent(o -> out.addAll(routing.accept(o, se.sequence(), o.at())));
    }
    if (events.size() < batch) {
      // Caught up: the windows over by now close. Behind, later events may still belong in them.
      out.addAll(routing.flushDue(clock.instant()));
    }
    long to = events.isEmpty() ? at.position() : events.get(events.size() - 1).sequence();
    String written = state.write();
    if (to == at.position() && out.isEmpty() && written.equals(at.state().isEmpty() ? RoutingState.empty().write()
        : at.state())) {
      return Step.IDLE;
    }
    List<Outbox.Entry> entries = new ArrayList<>(out.size());
    for (Routing.Outgoing o : out) {
      entries.add(Outbox.Entry.builder().key(o.notification().idempotencyKey()).eventSequence(o.sequence())
          .project(o.project()).destination(o.channel()).payload(NotificationCodec.write(o.notification())).build());
    }
    if (!outbox.advance(at, to, written, entries)) {
      log.debug("Notification relay lost a race; reading again (position={})", at.position());
      return Step.LOST;
    }
    counters.add(step);
    if (!entries.isEmpty()) {
      log.debug("Notifications relayed (from={}, to={}, deliveries={})", at.position(), to, entries.size());
    }
    return Step.ADVANCED;
  }

  /** The position the relay reached, as stored. */
  public long position() {
    return outbox.cursor(NAME).position();
  }
}
