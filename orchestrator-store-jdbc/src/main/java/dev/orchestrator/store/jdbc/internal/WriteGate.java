package dev.orchestrator.store.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one lock every transaction takes before it writes rows that all engines share (budget accounts and
 * reservations, provider health; on the embedded store also the event stream), held until it ends.
 *
 * <p>An engine writes a whole pass of its work in one transaction, which may settle several calls and record several
 * provider outcomes, each locking its rows in a fixed order of its own; two such transactions would lock the same
 * rows in different orders and wait on each other. Taken first, this lock orders them: only its holder locks shared
 * rows, so no cycle forms among them. A transaction that holds it already does not ask again.
 *
 * <p>On PostgreSQL an advisory transaction lock keyed by the schema; on the embedded store the {@code event_writers}
 * row, which also keeps the event stream in order there.
 */
public final class WriteGate {
  /** What a transaction knows once it holds the gate. */
  static final Object HELD = new Object();

  private WriteGate() {}

  /** Takes the gate in {@code c}'s transaction, unless the transaction {@code joined} tracks holds it already. */
  public static void enter(Connection c, Dialect dialect, JoinedTransaction joined) throws SQLException {
    if (joined.knows(HELD)) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.executeQuery(dialect == Dialect.POSTGRESQL
          ? "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.orchestrator-write-gate'))"
          : "SELECT id FROM event_writers WHERE id = 0 FOR UPDATE").close();
    }
    joined.learn(HELD);
  }
}
