package dev.orchestrator.store.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How the JDBC store appends events and reads its store-wide stream so that a reader never skips one. Thread-safe
 * (it holds no state but the lock key); every method works on the caller's connection and transaction.
 *
 * <p><b>The problem.</b> {@code events.seq} comes from an identity when a row is inserted, but a row becomes visible
 * when its transaction commits, and concurrent transactions commit in any order. A reader that saw 11 and remembers
 * "after 11" would never ask for 10 if 10 commits later. So a reader is handed rows only up to a <em>horizon</em>:
 * a number at or below which every row is committed (or rolled back, leaving a gap) and no row can still appear.
 *
 * <p><b>H2</b> serialises appends: each append locks the one row of {@code event_writers} ({@code SELECT ... FOR
 * UPDATE}) before it inserts, and holds the lock until it commits, so numbers are drawn and committed in one order
 * and whatever a reader sees is a complete prefix: the horizon is simply {@code MAX(seq)}. This holds for every
 * process that shares the file through H2's automatic server, since they all reach the one database engine that
 * holds the lock. H2 has no shared locks, which the PostgreSQL scheme below needs. Cost per append: one more
 * statement (in process, or one loopback round trip for a process served by another), and waiting for the append
 * ahead of it to commit; an embedded database on one machine does not need more.
 *
 * <p><b>PostgreSQL</b> keeps appends concurrent. Each append takes a transaction-scoped <em>shared</em> advisory lock
 * in the statement that inserts its row, before the row draws its number, and keeps it until it commits. To find the
 * horizon, a reader takes the same lock <em>exclusively</em> in a short transaction of its own: it is granted once
 * every append that had drawn a number has committed or rolled back (and holds new appends back meanwhile), so the
 * {@code MAX(seq)} it then reads is a horizon; any later append draws a greater number. Readers look for new rows
 * without the lock first, so an idle stream costs one index lookup per poll and never delays an append. The lock key
 * is built from the OID of {@code event_writers}, so stores in different schemas of one database never wait for each
 * other. Cost per append: one shared lock (a lock-table entry, no extra round trip and no wait for other appends);
 * cost per read that finds something new: one extra short transaction, during which new appends wait for the appends
 * already in flight to commit. A reader waits at most {@value #HORIZON_LOCK_TIMEOUT} for the lock (an append stuck in
 * a frozen process), then fails and is retried by its caller, so appends are never held back for longer than that.
 *
 * <p>Rejected for PostgreSQL: recording each row's transaction id ({@code pg_current_xact_id()}) and handing out only
 * rows whose transaction is older than the snapshot's {@code xmin}. That orders the stream by transaction id, but a
 * reader's position is a sequence number, and the two are drawn in different orders (a transaction gets its id at its
 * first write: two appends may draw numbers 10 and 11 with ids 101 and 100), so "after 10, and older than xmin" can
 * hand out 11 while 10 is still in flight. It would also stall every reader behind any long transaction in the
 * database, event writer or not. Serialising appends as on H2 was rejected too: every append of the whole cluster
 * would wait for the previous one's commit (a WAL flush).
 *
 * <p>Anything that inserts into {@code events} must go through {@link #insert}, inside the transaction that commits
 * the row, as late in it as it can (the lock is held until the commit).
 */
public final class EventLog {
  /** How long a PostgreSQL reader waits for appends in flight before it gives up (and its caller tries again). */
  static final String HORIZON_LOCK_TIMEOUT = "5s";
  /** "Orch" in the high half of the PostgreSQL advisory lock key; the low half is the OID of event_writers. */
  private static final long LOCK_KEY_PREFIX = 0x4f72_6368L << 32;

  private final Dialect dialect;
  /** PostgreSQL only: the advisory lock key of this schema's event stream. */
  private final long lockKey;

  private EventLog(Dialect dialect, long lockKey) {
    this.dialect = dialect;
    this.lockKey = lockKey;
  }

  /** The event log of the (migrated) schema behind {@code c}. */
  public static EventLog of(Dialect dialect, Connection c) throws SQLException {
    if (dialect != Dialect.POSTGRESQL) {
      return new EventLog(dialect, 0);
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT CAST(CAST('event_writers' AS regclass) AS oid)")) {
      rs.next();
      return new EventLog(dialect, LOCK_KEY_PREFIX | rs.getLong(1));
    }
  }

  /** One stored event: its number, its type name and its JSON body. */
  public record Row(long seq, String type, String body) {}

  /** An event to store: where it belongs, its type name, when it happened and its JSON body. */
  public record Entry(String project, String runId, @Nullable String taskId, String type, OffsetDateTime at,
      String body) {}

  /**
   * Inserts events, in order, in the caller's transaction (one batch), taking the lock that keeps the stream in
   * order (held until that transaction ends).
   */
  public void insertAll(Connection c, JoinedTransaction joined, List<Entry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    String sql;
    if (dialect == Dialect.POSTGRESQL) {
      // The row draws its number in the projection over the CTE's one row, so after the lock is held.
      sql = "WITH writer AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(?)) "
          + "INSERT INTO events (project, run_id, task_id, type, occurred_at, body) "
          + "SELECT ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ), ? FROM writer";
    } else {
      WriteGate.enter(c, dialect, joined); // the event_writers row: appends commit in the order they number
      sql = "INSERT INTO events (project, run_id, task_id, type, occurred_at, body) VALUES (?, ?, ?, ?, ?, ?)";
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Entry e : entries) {
        int i = 1;
        if (dialect == Dialect.POSTGRESQL) {
          ps.setLong(i++, lockKey);
        }
        ps.setString(i++, e.project());
        ps.setString(i++, e.runId());
        ps.setString(i++, e.taskId());
        ps.setString(i++, e.type());
        ps.setObject(i++, e.at());
        ps.setString(i, e.body());
        if (entries.size() == 1) {
          ps.executeUpdate();
        } else {
          ps.addBatch();
        }
      }
      if (entries.size() > 1) {
        ps.executeBatch();
      }
    }
  }

  /** The greatest number visible now, without waiting for anything: 0 when there is no event. */
  public long newest(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM events")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Whether finding the horizon needs a transaction of its own ({@link #horizon}); else {@link #newest} is it. */
  public boolean horizonNeedsATransaction() {
    return dialect == Dialect.POSTGRESQL;
  }

  /**
   * The horizon: a number at or below which every event is visible to the caller's next statements and no other can
   * appear. On PostgreSQL, call it in a transaction of its own and commit at once (it holds the lock until then).
   */
  public long horizon(Connection c) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL lock_timeout = '" + HORIZON_LOCK_TIMEOUT + "'");
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        ps.setLong(1, lockKey);
        ps.executeQuery().close();
      }
    }
    // A new statement, so a new snapshot: it sees every append that committed while the lock was awaited.
    return newest(c);
  }

  /** At most {@code limit} rows numbered after {@code after} and at most {@code upTo}, in order. */
  public List<Row> after(Connection c, long after, long upTo, int limit) throws SQLException {
    List<Row> out = new ArrayList<>(Math.min(limit, 1024));
    try (PreparedStatement ps = c.prepareStatement("SELECT seq, type, body FROM events WHERE seq > ? AND seq <= ? "
        + "ORDER BY seq FETCH FIRST ? ROWS ONLY")) {
      ps.setLong(1, after);
      ps.setLong(2, upTo);
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    return out;
  }
}
