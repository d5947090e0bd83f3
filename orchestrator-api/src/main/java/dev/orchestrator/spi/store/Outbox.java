package dev.orchestrator.spi.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A transactional outbox fed from the store's event stream ({@link Store#eventsAfter}): what must reach the outside
 * world (notifications) is written to the store in the same transaction that moves a durable cursor over the
 * stream, and then sent by whichever live process gets to it first. A process that exits, or dies, loses nothing:
 * the next one carries on from the store.
 *
 * <p>Two roles, any number of processes in each:
 * <ol>
 *   <li>A <b>relay</b> reads its {@link #cursor cursor}, reads the events after it, decides what to send, and calls
 *       {@link #advance}: in one transaction, if the cursor is still the one it read (compare-and-set on its
 *       {@link Cursor#version() version}), the new entries are inserted and the cursor moves on (with the relay's
 *       own state, such as open digest windows); otherwise nothing is written and the relay reads again. So no event
 *       is matched twice and none is skipped, whichever processes relay and whenever they die.</li>
 *   <li>A <b>deliverer</b> {@link #claim claims} due deliveries under a lease (a claimed delivery is not handed to
 *       another claimer until its lease runs out, so two processes never send the same one at the same time and a
 *       dead process's claims come back), sends each, and records the outcome: {@link #delivered},
 *       {@link #retry} (later, after a back-off) or {@link #failed} (given up, with the reason). A claim it cannot
 *       finish (it is closing) it gives back with {@link #release}.</li>
 * </ol>
 * Delivery is at least once: a process that sent a message and died before recording it leaves the delivery to be
 * sent again when the lease expires. Each delivery has a key, unique per relay, for receivers to drop duplicates.
 *
 * <p>Times (due times, leases, {@code createdAt}, {@code finishedAt}) come from the store's clock: the database's
 * for a SQL store. Relays are named (such as {@code notifications}); each has its own cursor and its own deliveries.
 *
 * <p>Implementations are thread-safe and every method is atomic. A store passes {@code OutboxContract} from
 * {@code orchestrator-testkit}.
 *
 * <pre>{@code
 * Outbox outbox = store.outbox();
 * Outbox.Cursor at = outbox.cursor("notifications");
 * List<StoredEvent> events = store.eventsAfter(at.position(), 100);
 * List<Outbox.Entry> entries = ...; // what the events call for
 * long to = events.isEmpty() ? at.position() : events.get(events.size() - 1).sequence();
 * if (!outbox.advance(at, to, newState, entries)) {
 *   // another process relayed these events first: read the cursor again
 * }
 * for (Outbox.Delivery d : outbox.claim("notifications", processId, 10, Duration.ofMinutes(1))) {
 *   ... send d.payload() to d.destination(), then outbox.delivered(d) or outbox.retry(d, backoff, reason)
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface Outbox {
  /** Relay names, delivery keys and destinations: at most this many characters. */
  int MAX_NAME_LENGTH = 200;

  /**
   * Where a relay is: the sequence of the last event it relayed, and its state.
   *
   * @return the stored cursor, or for a relay that never advanced: position 0, version 0, empty state
   * @throws IllegalArgumentException when the relay name is blank or too long
   */
  Cursor cursor(String relay);

  /**
   * Moves a relay's cursor and inserts the deliveries its events called for, in one transaction, if the cursor is
   * still {@code from} (same version): the new cursor has {@code position}, {@code state} and the next version, and
   * every entry becomes a {@link Status#PENDING} delivery due now with no attempt made. Otherwise (another process
   * advanced it first) nothing is written.
   *
   * <p>{@code position} may equal {@code from.position()}: a relay whose state changed with no new event (a digest
   * window closed) advances in place.
   *
   * @param from the cursor as the caller read it
   * @param position the sequence of the last event relayed, at least {@code from.position()}
   * @param state the relay's state after those events, opaque to the store (empty for none)
   * @param entries the deliveries to insert, with distinct keys
   * @return true when this call advanced the cursor; false when it had moved on: nothing was written
   * @throws IllegalArgumentException when {@code position} is behind {@code from}, an entry is invalid, or two
   *     entries share a key
   * @throws IllegalStateException when a key is in use already (a relay bug: keys come from event sequences):
   *     nothing was written
   */
  boolean advance(Cursor from, long position, String state, List<Entry> entries);

  /**
   * Claims up to {@code max} due deliveries of a relay for {@code owner}: pending ones whose due time has come and
   * that no live lease holds, oldest due first. Each claim counts as an attempt (its {@link Delivery#attempts()}
   * goes up), gets a new claim token, and holds the delivery for {@code lease} by the store's clock.
   *
   * @param lease how long no other claimer gets the delivery; zero gives it back at once (for tests)
   * @return the claimed deliveries, as they are now stored; never one that another live lease holds
   * @throws IllegalArgumentException when {@code max} is below 1 or the lease is negative
   */
  List<Delivery> claim(String relay, String owner, int max, Duration lease);

  /**
   * Records that a claimed delivery was sent: it becomes {@link Status#DELIVERED}. Recorded whoever holds the claim
   * now, as long as the delivery is still pending: the message went out.
   *
   * @return false when it was no longer pending (delivered or failed already): nothing was changed
   */
  boolean delivered(Delivery claimed);

  /**
   * Schedules another attempt of a claimed delivery after {@code delay} by the store's clock, with the reason of
   * the failed one, and ends the claim.
   *
   * @return false when the claim no longer holds it (its lease expired and another process claimed it, or it is no
   *     longer pending): nothing was changed
   * @throws IllegalArgumentException when the delay is negative
   */
  boolean retry(Delivery claimed, Duration delay, String reason);

  /**
   * Gives a claimed delivery up: it becomes {@link Status#FAILED} with the reason, and is never claimed again.
   *
   * @return false when the claim no longer holds it: nothing was changed
   */
  boolean failed(Delivery claimed, String reason);

  /**
   * Gives a claim back unfinished (its process closes before the send completed): the delivery may be claimed
   * again at once, and the attempt the claim counted is given back.
   *
   * @return false when the claim no longer holds it: nothing was changed
   */
  boolean release(Delivery claimed);

  /**
   * The pending deliveries of a relay made for any of these event sequences: what a process that produced those
   * events still waits for.
   */
  List<Delivery> pending(String relay, Collection<Long> eventSequences);

  /**
   * A relay's deliveries in a status, most recent first (by creation, then key), at most {@code max}: for people
   * (the command line lists failed and pending notifications).
   *
   * @throws IllegalArgumentException when {@code max} is below 1
   */
  List<Delivery> list(String relay, Status status, int max);

  /**
   * Deletes a relay's delivered and failed deliveries that finished at least {@code age} ago by the store's
   * clock; pending ones are never deleted.
   *
   * @return how many were deleted
   * @throws IllegalArgumentException when the age is negative
   */
  int prune(String relay, Duration age);

  /** Where a delivery is. */
  enum Status {
    /** Waiting to be sent, or being sent under a claim. */
    PENDING,
    /** Sent. */
    DELIVERED,
    /** Given up on; {@link Delivery#lastError()} says why. */
    FAILED
  }

  /**
   * A relay's cursor over the event stream.
   *
   * @param relay the relay's name
   * @param position the sequence of the last event relayed (0 before the first)
   * @param version grows by one with every advance (0 before the first); what {@link #advance} compares
   * @param state the relay's own state, opaque to the store; empty for none
   */
  record Cursor(String relay, long position, long version, String state) {
    public Cursor {
      checkName("relay", relay);
      if (position < 0) {
        throw new IllegalArgumentException("cursor position must be >= 0 (was " + position + ")");
      }
      if (version < 0) {
        throw new IllegalArgumentException("cursor version must be >= 0 (was " + version + ")");
      }
      Objects.requireNonNull(state, "state");
    }

    /** The cursor of a relay that never advanced. */
    public static Cursor start(String relay) {
      return new Cursor(relay, 0, 0, "");
    }

    /**
     * Checks an {@link Outbox#advance} from this cursor, as every store does before it changes anything: the
     * position does not move back, and the entries have distinct keys.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public void checkAdvance(long position, List<Entry> entries) {
      Objects.requireNonNull(entries, "entries");
      if (position < this.position) {
        throw new IllegalArgumentException("a relay cursor never moves back: position " + position + " is behind "
            + this.position + " (relay " + relay + ")");
      }
      java.util.Set<String> keys = new java.util.HashSet<>();
      for (Entry e : entries) {
        Objects.requireNonNull(e, "entry");
        if (!keys.add(e.key())) {
          throw new IllegalArgumentException("two entries share the key " + e.key() + " (relay " + relay
              + "): every delivery needs its own key");
        }
      }
    }
  }

  /**
   * A delivery a relay asks for.
   *
   * @param key unique per relay, the receivers' idempotency key, such as {@code 42-task_failed-slack}
   * @param eventSequence the event it was made for (for a digest: its last event)
   * @param project the project it is about
   * @param destination where it goes, in the relay's terms (such as a channel name)
   * @param payload what to send, opaque to the store
   */
  record Entry(String key, long eventSequence, String project, String destination, String payload) {
    public Entry {
      checkName("key", key);
      if (eventSequence < 0) {
        throw new IllegalArgumentException("eventSequence must be >= 0 (was " + eventSequence + ") for key " + key);
      }
      Objects.requireNonNull(project, "project");
      checkName("destination", destination);
      Objects.requireNonNull(payload, "payload");
    }
  }

  /**
   * A delivery as stored.
   *
   * @param relay the relay that made it
   * @param key its key, unique per relay
   * @param eventSequence the event it was made for
   * @param project the project it is about
   * @param destination where it goes
   * @param payload what to send
   * @param status where it is
   * @param attempts how many times it was claimed to be sent
   * @param dueAt when it may be claimed next, by the store's clock
   * @param lastError why the last attempt failed, or null
   * @param claimToken grows with every claim; the claim holding it has this token
   * @param owner who claimed it last, or null
   * @param leaseUntil until when the last claim holds it, or null when no claim does
   * @param createdAt when the relay inserted it
   * @param finishedAt when it was delivered or given up on, or null while pending
   */
  record Delivery(String relay, String key, long eventSequence, String project, String destination, String payload,
      Status status, int attempts, Instant dueAt, @Nullable String lastError, long claimToken,
      @Nullable String owner, @Nullable Instant leaseUntil, Instant createdAt, @Nullable Instant finishedAt) {
    public Delivery {
      Objects.requireNonNull(relay, "relay");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(payload, "payload");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(dueAt, "dueAt");
      Objects.requireNonNull(createdAt, "createdAt");
    }
  }

  /**
   * Checks a relay name, key or destination: not blank, at most {@link #MAX_NAME_LENGTH} characters.
   *
   * @throws IllegalArgumentException naming the field and the value
   */
  static void checkName(String field, String value) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    if (value.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(field + " must be at most " + MAX_NAME_LENGTH + " characters (was "
          + value.length() + ": '" + value.substring(0, 40) + "...')");
    }
  }
}
