package dev.orchestrator.store.jdbc.internal;

import dev.orchestrator.spi.store.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC store's {@link Outbox}, on the tables of migration V7 ({@code outbox_cursors}, {@code outbox}), for H2 and
 * PostgreSQL alike. Every time is the database's ({@code CURRENT_TIMESTAMP}), so leases hold across machines whose
 * clocks differ.
 *
 * <p>An advance is one transaction: the insert of the version it makes into {@code outbox_advances} (whose primary
 * key lets one of two relays that read the same version win), an UPDATE of the cursor row conditional on the version
 * the relay read (the first advance inserts the row), then the deliveries. A claim
 * reads due rows, then takes each in a short transaction of its own with an UPDATE conditional on the claim token it
 * read: a row another process took meanwhile updates nothing and is passed over, and no transaction holds more
 * than one row, so claimers never deadlock. Thread-safe.
 */
public final class JdbcOutbox implements Outbox {
  private static final int IN_CHUNK = 500;
  /** How many of a relay's latest advances keep their arbiter row, and how often older ones are deleted. */
  private static final long ADVANCES_KEPT = 10_000;
  private static final long ADVANCES_PRUNED_EVERY = 1_000;
  private static final String COLUMNS = "relay, delivery_key, event_seq, project, destination, payload, status, "
      + "attempts, due_at, last_error, claim_token, lease_owner, lease_until, created_at, finished_at";
  /** A claim that still holds its row: the same token, the row pending and held by a lease. */
  private static final String HELD = " WHERE relay = ? AND delivery_key = ? AND claim_token = ? AND status = 'PENDING' "
      + "AND lease_until IS NOT NULL";

  private final Transactor tx;
  private final Dialect dialect;

  /** On the store's transactions (which fail once the store is closed). */
  public JdbcOutbox(Transactor tx) {
    this.tx = tx;
    this.dialect = tx.dialect();
  }

  // ------------------------------------------------------------------ relays

  @Override
  public Cursor cursor(String relay) {
    Outbox.checkName("relay", relay);
    return tx.read("read the cursor of relay " + relay, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT event_position, cursor_version, state FROM outbox_cursors WHERE relay = ?")) {
        ps.setString(1, relay);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? Cursor.builder().relay(relay).position(rs.getLong(1)).version(rs.getLong(2)).state(rs.getString(3))
                  .build()
              : Cursor.start(relay);
        }
      }
    });
  }

  @Override
  public boolean advance(Cursor from, long position, String state, List<Entry> entries) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(state, "state");
    from.checkAdvance(position, entries);
    String what = "advance relay " + from.relay() + " to " + position;
    // Another relay moved the cursor (or created it) at the same moment: this one lost, and re-reads.
    return tx.writeOr(what, c -> {
      if (!moveCursor(c, from, position, state)) {
        c.rollback();
        return false;
      }
      String taken = firstKeyInUse(c, from.relay(), entries);
      if (taken != null) {
        throw new IllegalStateException("relay " + from.relay() + " already has a delivery with key " + taken
            + ": keys must be unique per relay; nothing was written");
      }
      insert(c, from.relay(), entries);
      return true;
    }, JdbcOutbox::conflict, false);
  }

  private static boolean moveCursor(Connection c, Cursor from, long position, String state) throws SQLException {
    long next = from.version() + 1;
    // The arbiter: of two relays that read the same version, the primary key lets one insert this row (the other
    // waits for it and fails, or fails at once), so the outcome does not rest on how the database re-checks the
    // cursor row's conditional UPDATE below under concurrency.
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox_advances (relay, cursor_version, "
        + "event_position, created_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)")) {
      ps.setString(1, from.relay());
      ps.setLong(2, next);
      ps.setLong(3, position);
      ps.executeUpdate();
    }
    if (next % ADVANCES_PRUNED_EVERY == 0) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox_advances WHERE relay = ? "
          + "AND cursor_version <= ?")) {
        ps.setString(1, from.relay());
        ps.setLong(2, next - ADVANCES_KEPT);
        ps.executeUpdate();
      }
    }
    if (from.version() == 0) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox_cursors (relay, event_position, "
          + "cursor_version, state, updated_at) VALUES (?, ?, 1, ?, CURRENT_TIMESTAMP)")) {
        ps.setString(1, from.relay());
        ps.setLong(2, position);
        ps.setString(3, state);
        return ps.executeUpdate() == 1;
      }
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE outbox_cursors SET event_position = ?, "
        + "cursor_version = cursor_version + 1, state = ?, updated_at = CURRENT_TIMESTAMP "
        + "WHERE relay = ? AND cursor_version = ?")) {
      ps.setLong(1, position);
      ps.setString(2, state);
      ps.setString(3, from.relay());
      ps.setLong(4, from.version());
      return ps.executeUpdate() == 1;
    }
  }

  private static @Nullable String firstKeyInUse(Connection c, String relay, List<Entry> entries)
      throws SQLException {
    for (int from = 0; from < entries.size(); from += IN_CHUNK) {
      List<Entry> chunk = entries.subList(from, Math.min(entries.size(), from + IN_CHUNK));
      try (PreparedStatement ps = c.prepareStatement("SELECT delivery_key FROM outbox WHERE relay = ? AND "
          + "delivery_key IN (" + marks(chunk.size()) + ")")) {
        ps.setString(1, relay);
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 2, chunk.get(i).key());
        }
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getString(1);
          }
        }
      }
    }
    return null;
  }

  private static void insert(Connection c, String relay, List<Entry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (relay, delivery_key, event_seq, project, "
        + "destination, payload, status, attempts, due_at, claim_token, created_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, CURRENT_TIMESTAMP, 0, CURRENT_TIMESTAMP)")) {
      for (Entry e : entries) {
        ps.setString(1, relay);
        ps.setString(2, e.key());
        ps.setLong(3, e.eventSequence());
        ps.setString(4, e.project());
        ps.setString(5, e.destination());
        ps.setString(6, e.payload());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  // ------------------------------------------------------------------ deliveries

  @Override
  public List<Delivery> claim(String relay, String owner, int max, Duration lease) {
    Outbox.checkName("relay", relay);
    Outbox.checkName("owner", owner);
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 (was " + max + ")");
    }
    checkNotNegative("lease", lease);
    List<Object[]> candidates = tx.read("read the due deliveries of relay " + relay, c -> {
      List<Object[]> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT delivery_key, claim_token FROM outbox "
          + "WHERE relay = ? AND status = 'PENDING' AND due_at <= CURRENT_TIMESTAMP "
          + "AND (lease_until IS NULL OR lease_until <= CURRENT_TIMESTAMP) "
          + "ORDER BY due_at, event_seq, delivery_key LIMIT ?")) {
        ps.setString(1, relay);
        ps.setInt(2, max);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Object[] {rs.getString(1), rs.getLong(2)});
          }
        }
      }
      return out;
    });
    List<Delivery> claimed = new ArrayList<>();
    for (Object[] k : candidates) {
      Delivery d = claimOne(relay, (String) k[0], (Long) k[1], owner, lease);
      if (d != null) {
        claimed.add(d);
      }
    }
    return claimed;
  }

  /** Takes one row if it is still as it was read; null when another process took it first. */
  private @Nullable Delivery claimOne(String relay, String key, long token, String owner, Duration lease) {
    return tx.writeOr("claim delivery " + key + " of relay " + relay, c -> {
      int n;
      try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET lease_owner = ?, lease_until = "
          + later() + ", claim_token = claim_token + 1, attempts = attempts + 1 WHERE relay = ? AND delivery_key = ? "
          + "AND claim_token = ? AND status = 'PENDING' AND due_at <= CURRENT_TIMESTAMP "
          + "AND (lease_until IS NULL OR lease_until <= CURRENT_TIMESTAMP)")) {
        ps.setString(1, owner);
        bindDuration(ps, 2, lease);
        ps.setString(3, relay);
        ps.setString(4, key);
        ps.setLong(5, token);
        n = ps.executeUpdate();
      }
      return n == 1 ? read(c, relay, key) : null;
    }, JdbcOutbox::conflict, null);
  }

  @Override
  public boolean delivered(Delivery claimed) {
    Objects.requireNonNull(claimed, "claimed");
    return update("record delivery " + claimed.key() + " as delivered", "UPDATE outbox SET status = 'DELIVERED', "
        + "finished_at = CURRENT_TIMESTAMP, lease_until = NULL WHERE relay = ? AND delivery_key = ? "
        + "AND status = 'PENDING'", claimed.relay(), claimed.key()) == 1;
  }

  @Override
  public boolean retry(Delivery claimed, Duration delay, String reason) {
    Objects.requireNonNull(claimed, "claimed");
    checkNotNegative("delay", delay);
    Objects.requireNonNull(reason, "reason");
    return update("schedule another attempt of delivery " + claimed.key(), "UPDATE outbox SET due_at = " + later()
        + ", last_error = ?, lease_until = NULL" + HELD, delay, reason, claimed.relay(), claimed.key(),
        claimed.claimToken()) == 1;
  }

  @Override
  public boolean failed(Delivery claimed, String reason) {
    Objects.requireNonNull(claimed, "claimed");
    Objects.requireNonNull(reason, "reason");
    return update("give up delivery " + claimed.key(), "UPDATE outbox SET status = 'FAILED', last_error = ?, "
        + "finished_at = CURRENT_TIMESTAMP, lease_until = NULL" + HELD, reason, claimed.relay(), claimed.key(),
        claimed.claimToken()) == 1;
  }

  @Override
  public boolean release(Delivery claimed) {
    Objects.requireNonNull(claimed, "claimed");
    return update("release delivery " + claimed.key(), "UPDATE outbox SET lease_until = NULL, "
        + "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END" + HELD, claimed.relay(), claimed.key(),
        claimed.claimToken()) == 1;
  }

  @Override
  public List<Delivery> pending(String relay, Collection<Long> eventSequences) {
    Outbox.checkName("relay", relay);
    List<Long> all = new ArrayList<>(new java.util.TreeSet<>(eventSequences));
    List<Delivery> out = new ArrayList<>();
    for (int from = 0; from < all.size(); from += IN_CHUNK) {
      List<Long> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
      out.addAll(tx.read("read the pending deliveries of relay " + relay, c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE relay = ? "
            + "AND status = 'PENDING' AND event_seq IN (" + marks(chunk.size()) + ") "
            + "ORDER BY due_at, event_seq, delivery_key")) {
          ps.setString(1, relay);
          for (int i = 0; i < chunk.size(); i++) {
            ps.setLong(i + 2, chunk.get(i));
          }
          return readAll(ps);
        }
      }));
    }
    return out;
  }

  @Override
  public List<Delivery> list(String relay, Status status, int max) {
    Outbox.checkName("relay", relay);
    Objects.requireNonNull(status, "status");
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 (was " + max + ")");
    }
    return tx.read("list the deliveries of relay " + relay, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE relay = ? "
          + "AND status = ? ORDER BY created_at DESC, delivery_key DESC LIMIT ?")) {
        ps.setString(1, relay);
        ps.setString(2, status.name());
        ps.setInt(3, max);
        return readAll(ps);
      }
    });
  }

  @Override
  public int prune(String relay, Duration age) {
    Outbox.checkName("relay", relay);
    checkNotNegative("age", age);
    String before = dialect == Dialect.POSTGRESQL ? "CURRENT_TIMESTAMP - make_interval(secs => ?)"
        : "DATEADD(MICROSECOND, -?, CURRENT_TIMESTAMP)";
    return update("prune the deliveries of relay " + relay, "DELETE FROM outbox WHERE relay = ? "
        + "AND status IN ('DELIVERED', 'FAILED') AND finished_at <= " + before, relay, age);
  }

  // ------------------------------------------------------------------ rows and SQL

  /** {@code CURRENT_TIMESTAMP} plus a duration bound as the next parameter. */
  private String later() {
    return dialect == Dialect.POSTGRESQL ? "CURRENT_TIMESTAMP + make_interval(secs => ?)"
        : "DATEADD(MICROSECOND, ?, CURRENT_TIMESTAMP)";
  }

  private void bindDuration(PreparedStatement ps, int index, Duration d) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      ps.setDouble(index, d.toNanos() / 1e9);
    } else {
      ps.setLong(index, d.toNanos() / 1000);
    }
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  private static @Nullable Delivery read(Connection c, String relay, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE relay = ? "
        + "AND delivery_key = ?")) {
      ps.setString(1, relay);
      ps.setString(2, key);
      List<Delivery> all = readAll(ps);
      return all.isEmpty() ? null : all.get(0);
    }
  }

  private static List<Delivery> readAll(PreparedStatement ps) throws SQLException {
    List<Delivery> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(Delivery.builder().relay(rs.getString(1)).key(rs.getString(2)).eventSequence(rs.getLong(3))
            .project(rs.getString(4)).destination(rs.getString(5)).payload(rs.getString(6))
            .status(Status.valueOf(rs.getString(7))).attempts(rs.getInt(8)).dueAt(instant(rs, 9))
            .lastError(rs.getString(10)).claimToken(rs.getLong(11)).owner(rs.getString(12))
            .leaseUntil(instant(rs, 13)).createdAt(instant(rs, 14)).finishedAt(instant(rs, 15)).build());
      }
    }
    return out;
  }

  private static @Nullable Instant instant(ResultSet rs, int index) throws SQLException {
    OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** Runs one statement in a transaction of its own with plain arguments; durations bind as intervals. */
  private int update(String what, String sql, Object... args) {
    return tx.write(what, false, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          Object a = args[i];
          if (a instanceof Duration d) {
            bindDuration(ps, i + 1, d);
          } else if (a instanceof Long l) {
            ps.setLong(i + 1, l);
          } else {
            ps.setString(i + 1, (String) a);
          }
        }
        return ps.executeUpdate();
      }
    });
  }

  /** 40xxx: deadlock or serialization failure; 90131: H2's concurrent update of one row; 23505: a duplicate key. */
  private static boolean conflict(SQLException e) {
    String state = String.valueOf(e.getSQLState());
    return state.startsWith("40") || state.equals("90131") || state.equals(Sql.UNIQUE_VIOLATION);
  }

  private static void checkNotNegative(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must be >= 0 (was " + d + ")");
    }
  }
}
