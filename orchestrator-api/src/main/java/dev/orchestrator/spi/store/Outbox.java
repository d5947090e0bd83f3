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
   * A relay's cursor over the event stream: its {@code relay}, the {@code position} (the sequence of the last event
   * relayed, 0 before the first), the {@code version} (grows by one with every advance, 0 before the first; what
   * {@link #advance} compares) and the relay's own {@code state}, opaque to the store (empty for none).
   *
   * <p>Made by {@link #start} or {@link #builder()}; the constructor is private, so stores keep compiling when fields
   * are added. Immutable and thread-safe; two cursors are equal when every value is equal.
   *
   * <pre>{@code
   * Outbox.Cursor next = from.toBuilder().position(to).version(from.version() + 1).state(newState).build();
   * }</pre>
   */
  final class Cursor {
    private final String relay;
    private final long position;
    private final long version;
    private final String state;

    private Cursor(Builder b) {
      this.relay = required(b.relay, "relay");
      this.position = b.position;
      this.version = b.version;
      this.state = b.state;
    }

    /** The cursor of a relay that never advanced: position 0, version 0, empty state. */
    public static Cursor start(String relay) {
      return builder().relay(relay).build();
    }

    /** Starts a cursor: the relay is required; position and version are 0 and the state empty unless given. */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder holding this cursor's values, to derive a changed copy. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /** The relay's name. */
    public String relay() {
      return relay;
    }

    /** The sequence of the last event relayed (0 before the first). */
    public long position() {
      return position;
    }

    /** Grows by one with every advance (0 before the first); what {@link Outbox#advance} compares. */
    public long version() {
      return version;
    }

    /** The relay's own state, opaque to the store; empty for none. */
    public String state() {
      return state;
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

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Cursor c && relay.equals(c.relay) && position == c.position && version == c.version
          && state.equals(c.state);
    }

    @Override
    public int hashCode() {
      return Objects.hash(relay, position, version, state);
    }

    @Override
    public String toString() {
      return "Cursor[relay=" + relay + ", position=" + position + ", version=" + version + ", state=" + state + "]";
    }

    /**
     * Builds a {@link Cursor}. Each setter checks its value at once, and a refused value is never kept. Mutable and
     * not thread-safe; reusing a builder never changes a cursor already built.
     */
    public static final class Builder {
      private @Nullable String relay;
      private long position;
      private long version;
      private String state = "";

      private Builder() {}

      private Builder(Cursor from) {
        this.relay = from.relay;
        this.position = from.position;
        this.version = from.version;
        this.state = from.state;
      }

      /**
       * The relay's name; required, not blank, at most {@link Outbox#MAX_NAME_LENGTH} characters.
       *
       * @throws IllegalArgumentException when it is blank or too long
       */
      public Builder relay(String relay) {
        checkName("relay", relay);
        this.relay = relay;
        return this;
      }

      /**
       * The sequence of the last event relayed; 0 (none) by default.
       *
       * @throws IllegalArgumentException when it is negative
       */
      public Builder position(long position) {
        this.position = atLeastZero("position", position, "event sequences start at 1, 0 is before the first");
        return this;
      }

      /**
       * The cursor's version; 0 (never advanced) by default.
       *
       * @throws IllegalArgumentException when it is negative
       */
      public Builder version(long version) {
        this.version = atLeastZero("version", version, "a cursor that never advanced has version 0");
        return this;
      }

      /** The relay's own state, opaque to the store; empty (none) by default. */
      public Builder state(String state) {
        this.state = Objects.requireNonNull(state, "state");
        return this;
      }

      /**
       * Builds the cursor.
       *
       * @throws IllegalStateException when the relay was not given
       */
      public Cursor build() {
        return new Cursor(this);
      }
    }
  }

  /**
   * A delivery a relay asks for: its {@code key} (unique per relay, the receivers' idempotency key, such as
   * {@code 42-task_failed-slack}), the {@code eventSequence} it was made for (for a digest: its last event), the
   * {@code project} it is about, its {@code destination} in the relay's terms (such as a channel name) and the
   * {@code payload} to send, opaque to the store.
   *
   * <p>Made by {@link #builder()}; the constructor is private, so relays keep compiling when fields are added.
   * Immutable and thread-safe; two entries are equal when every value is equal.
   *
   * <pre>{@code
   * Outbox.Entry entry = Outbox.Entry.builder()
   *     .key("42-task_failed-slack").eventSequence(42).project("blog").destination("#alerts").payload(json)
   *     .build();
   * }</pre>
   */
  final class Entry {
    private final String key;
    private final long eventSequence;
    private final String project;
    private final String destination;
    private final String payload;

    private Entry(Builder b) {
      this.key = required(b.key, "key");
      if (b.eventSequence < 0) {
        throw new IllegalStateException("eventSequence is required: call eventSequence(...) before build()");
      }
      this.eventSequence = b.eventSequence;
      this.project = required(b.project, "project");
      this.destination = required(b.destination, "destination");
      this.payload = required(b.payload, "payload");
    }

    /** Starts an entry; key, event sequence, project, destination and payload are required. */
    public static Builder builder() {
      return new Builder();
    }

    /** Unique per relay, the receivers' idempotency key. */
    public String key() {
      return key;
    }

    /** The event it was made for (for a digest: its last event). */
    public long eventSequence() {
      return eventSequence;
    }

    /** The project it is about. */
    public String project() {
      return project;
    }

    /** Where it goes, in the relay's terms. */
    public String destination() {
      return destination;
    }

    /** What to send, opaque to the store. */
    public String payload() {
      return payload;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Entry e && key.equals(e.key) && eventSequence == e.eventSequence
          && project.equals(e.project) && destination.equals(e.destination) && payload.equals(e.payload);
    }

    @Override
    public int hashCode() {
      return Objects.hash(key, eventSequence, project, destination, payload);
    }

    @Override
    public String toString() {
      return "Entry[key=" + key + ", eventSequence=" + eventSequence + ", project=" + project + ", destination="
          + destination + ", payload=" + payload + "]";
    }

    /**
     * Builds an {@link Entry}. Each setter checks its value at once, and a refused value is never kept. Mutable and
     * not thread-safe; reusing a builder never changes an entry already built.
     */
    public static final class Builder {
      private @Nullable String key;
      private long eventSequence = -1;
      private @Nullable String project;
      private @Nullable String destination;
      private @Nullable String payload;

      private Builder() {}

      /**
       * The key, unique per relay; required, not blank, at most {@link Outbox#MAX_NAME_LENGTH} characters.
       *
       * @throws IllegalArgumentException when it is blank or too long
       */
      public Builder key(String key) {
        checkName("key", key);
        this.key = key;
        return this;
      }

      /**
       * The event it was made for; required.
       *
       * @throws IllegalArgumentException when it is negative
       */
      public Builder eventSequence(long eventSequence) {
        this.eventSequence = atLeastZero("eventSequence", eventSequence, "give the sequence of the event the "
            + "delivery is made for");
        return this;
      }

      /** The project it is about; required. */
      public Builder project(String project) {
        this.project = Objects.requireNonNull(project, "project");
        return this;
      }

      /**
       * Where it goes; required, not blank, at most {@link Outbox#MAX_NAME_LENGTH} characters.
       *
       * @throws IllegalArgumentException when it is blank or too long
       */
      public Builder destination(String destination) {
        checkName("destination", destination);
        this.destination = destination;
        return this;
      }

      /** What to send; required. */
      public Builder payload(String payload) {
        this.payload = Objects.requireNonNull(payload, "payload");
        return this;
      }

      /**
       * Builds the entry.
       *
       * @throws IllegalStateException when a required value was not given
       */
      public Entry build() {
        return new Entry(this);
      }
    }
  }

  /**
   * A delivery as stored: what its {@link Entry} said ({@code key}, {@code eventSequence}, {@code project},
   * {@code destination}, {@code payload}) with the {@code relay} that made it, and where it is: its {@code status},
   * how many times it was claimed ({@code attempts}), when it may be claimed next ({@code dueAt}, by the store's
   * clock), why the last attempt failed ({@code lastError}, or null), the {@code claimToken} that grows with every
   * claim, who claimed it last ({@code owner}, or null) and until when ({@code leaseUntil}, null when no claim holds
   * it), when the relay inserted it ({@code createdAt}) and when it was delivered or given up on ({@code finishedAt},
   * null while pending).
   *
   * <p>Made by stores, through {@link #builder()} or {@link #toBuilder()}; the constructor is private, so stores keep
   * compiling when fields are added. Immutable and thread-safe; two deliveries are equal when every value is equal.
   *
   * <pre>{@code
   * Outbox.Delivery sent = claimed.toBuilder()
   *     .status(Outbox.Status.DELIVERED).leaseUntil(null).finishedAt(now)
   *     .build();
   * }</pre>
   */
  final class Delivery {
    private final String relay;
    private final String key;
    private final long eventSequence;
    private final String project;
    private final String destination;
    private final String payload;
    private final Status status;
    private final int attempts;
    private final Instant dueAt;
    private final @Nullable String lastError;
    private final long claimToken;
    private final @Nullable String owner;
    private final @Nullable Instant leaseUntil;
    private final Instant createdAt;
    private final @Nullable Instant finishedAt;

    private Delivery(Builder b) {
      this.relay = required(b.relay, "relay");
      this.key = required(b.key, "key");
      this.eventSequence = b.eventSequence;
      this.project = required(b.project, "project");
      this.destination = required(b.destination, "destination");
      this.payload = required(b.payload, "payload");
      this.status = required(b.status, "status");
      this.attempts = b.attempts;
      this.dueAt = required(b.dueAt, "dueAt");
      this.lastError = b.lastError;
      this.claimToken = b.claimToken;
      this.owner = b.owner;
      this.leaseUntil = b.leaseUntil;
      this.createdAt = required(b.createdAt, "createdAt");
      this.finishedAt = b.finishedAt;
    }

    /**
     * Starts a delivery: relay, key, project, destination, payload, status, due time and creation time are
     * required; the event sequence, attempts and claim token are 0, and the nullable values null, unless given.
     */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder holding this delivery's values, to derive a changed copy. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /** The relay that made it. */
    public String relay() {
      return relay;
    }

    /** Its key, unique per relay. */
    public String key() {
      return key;
    }

    /** The event it was made for. */
    public long eventSequence() {
      return eventSequence;
    }

    /** The project it is about. */
    public String project() {
      return project;
    }

    /** Where it goes. */
    public String destination() {
      return destination;
    }

    /** What to send. */
    public String payload() {
      return payload;
    }

    /** Where it is. */
    public Status status() {
      return status;
    }

    /** How many times it was claimed to be sent. */
    public int attempts() {
      return attempts;
    }

    /** When it may be claimed next, by the store's clock. */
    public Instant dueAt() {
      return dueAt;
    }

    /** Why the last attempt failed, or null. */
    public @Nullable String lastError() {
      return lastError;
    }

    /** Grows with every claim; the claim holding it has this token. */
    public long claimToken() {
      return claimToken;
    }

    /** Who claimed it last, or null. */
    public @Nullable String owner() {
      return owner;
    }

    /** Until when the last claim holds it, or null when no claim does. */
    public @Nullable Instant leaseUntil() {
      return leaseUntil;
    }

    /** When the relay inserted it. */
    public Instant createdAt() {
      return createdAt;
    }

    /** When it was delivered or given up on, or null while pending. */
    public @Nullable Instant finishedAt() {
      return finishedAt;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Delivery d && relay.equals(d.relay) && key.equals(d.key)
          && eventSequence == d.eventSequence && project.equals(d.project) && destination.equals(d.destination)
          && payload.equals(d.payload) && status == d.status && attempts == d.attempts && dueAt.equals(d.dueAt)
          && Objects.equals(lastError, d.lastError) && claimToken == d.claimToken && Objects.equals(owner, d.owner)
          && Objects.equals(leaseUntil, d.leaseUntil) && createdAt.equals(d.createdAt)
          && Objects.equals(finishedAt, d.finishedAt);
    }

    @Override
    public int hashCode() {
      return Objects.hash(relay, key, eventSequence, project, destination, payload, status, attempts, dueAt,
          lastError, claimToken, owner, leaseUntil, createdAt, finishedAt);
    }

    @Override
    public String toString() {
      return "Delivery[relay=" + relay + ", key=" + key + ", eventSequence=" + eventSequence + ", project="
          + project + ", destination=" + destination + ", payload=" + payload + ", status=" + status
          + ", attempts=" + attempts + ", dueAt=" + dueAt + ", lastError=" + lastError + ", claimToken="
          + claimToken + ", owner=" + owner + ", leaseUntil=" + leaseUntil + ", createdAt=" + createdAt
          + ", finishedAt=" + finishedAt + "]";
    }

    /**
     * Builds a {@link Delivery}. Each setter checks its value at once, and a refused value is never kept. Mutable
     * and not thread-safe; reusing a builder never changes a delivery already built.
     */
    public static final class Builder {
      private @Nullable String relay;
      private @Nullable String key;
      private long eventSequence;
      private @Nullable String project;
      private @Nullable String destination;
      private @Nullable String payload;
      private @Nullable Status status;
      private int attempts;
      private @Nullable Instant dueAt;
      private @Nullable String lastError;
      private long claimToken;
      private @Nullable String owner;
      private @Nullable Instant leaseUntil;
      private @Nullable Instant createdAt;
      private @Nullable Instant finishedAt;

      private Builder() {}

      private Builder(Delivery from) {
        this.relay = from.relay;
        this.key = from.key;
        this.eventSequence = from.eventSequence;
        this.project = from.project;
        this.destination = from.destination;
        this.payload = from.payload;
        this.status = from.status;
        this.attempts = from.attempts;
        this.dueAt = from.dueAt;
        this.lastError = from.lastError;
        this.claimToken = from.claimToken;
        this.owner = from.owner;
        this.leaseUntil = from.leaseUntil;
        this.createdAt = from.createdAt;
        this.finishedAt = from.finishedAt;
      }

      /** The relay that made it; required. */
      public Builder relay(String relay) {
        this.relay = Objects.requireNonNull(relay, "relay");
        return this;
      }

      /** Its key; required. */
      public Builder key(String key) {
        this.key = Objects.requireNonNull(key, "key");
        return this;
      }

      /**
       * The event it was made for; 0 by default.
       *
       * @throws IllegalArgumentException when it is negative
       */
      public Builder eventSequence(long eventSequence) {
        this.eventSequence = atLeastZero("eventSequence", eventSequence, "give the sequence of the event the "
            + "delivery is made for");
        return this;
      }

      /** The project it is about; required. */
      public Builder project(String project) {
        this.project = Objects.requireNonNull(project, "project");
        return this;
      }

      /** Where it goes; required. */
      public Builder destination(String destination) {
        this.destination = Objects.requireNonNull(destination, "destination");
        return this;
      }

      /** What to send; required. */
      public Builder payload(String payload) {
        this.payload = Objects.requireNonNull(payload, "payload");
        return this;
      }

      /** The key, event sequence, project, destination and payload of the entry it was made from. */
      public Builder entry(Entry entry) {
        Objects.requireNonNull(entry, "entry");
        return key(entry.key()).eventSequence(entry.eventSequence()).project(entry.project())
            .destination(entry.destination()).payload(entry.payload());
      }

      /** Where it is; required. */
      public Builder status(Status status) {
        this.status = Objects.requireNonNull(status, "status");
        return this;
      }

      /**
       * How many times it was claimed; 0 by default.
       *
       * @throws IllegalArgumentException when it is negative
       */
      public Builder attempts(int attempts) {
        this.attempts = (int) atLeastZero("attempts", attempts, "a delivery never claimed has 0 attempts");
        return this;
      }

      /** When it may be claimed next, by the store's clock; required. */
      public Builder dueAt(Instant dueAt) {
        this.dueAt = Objects.requireNonNull(dueAt, "dueAt");
        return this;
      }

      /** Why the last attempt failed; null (none) by default. */
      public Builder lastError(@Nullable String lastError) {
        this.lastError = lastError;
        return this;
      }

      /**
       * The token of the last claim; 0 (never claimed) by default.
       *
       * @throws IllegalArgumentException when it is negative
       */
      public Builder claimToken(long claimToken) {
        this.claimToken = atLeastZero("claimToken", claimToken, "a delivery never claimed has token 0");
        return this;
      }

      /** Who claimed it last; null (nobody) by default. */
      public Builder owner(@Nullable String owner) {
        this.owner = owner;
        return this;
      }

      /** Until when the last claim holds it; null (no claim holds it) by default. */
      public Builder leaseUntil(@Nullable Instant leaseUntil) {
        this.leaseUntil = leaseUntil;
        return this;
      }

      /** When the relay inserted it; required. */
      public Builder createdAt(Instant createdAt) {
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        return this;
      }

      /** When it was delivered or given up on; null (pending) by default. */
      public Builder finishedAt(@Nullable Instant finishedAt) {
        this.finishedAt = finishedAt;
        return this;
      }

      /**
       * Builds the delivery.
       *
       * @throws IllegalStateException when a required value was not given
       */
      public Delivery build() {
        return new Delivery(this);
      }
    }
  }

  /** A value that cannot be negative, or an error naming the field, the value and the fix. */
  private static long atLeastZero(String field, long value, String fix) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0 (was " + value + "): " + fix);
    }
    return value;
  }

  /** A required value of a builder, or an error naming the setter to call. */
  private static <T> T required(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
    }
    return value;
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
