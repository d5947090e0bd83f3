package dev.orchestrator.store.jdbc.internal;

import dev.orchestrator.spi.store.Command;
import dev.orchestrator.spi.store.RunLease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Run leases in a JDBC store: which engine instance holds each run, until when by the database clock, under which
 * fencing token ({@code runs.lease_owner}, {@code lease_until}, {@code lease_fence}), and the commands for the runs an
 * owner holds.
 *
 * <p>A lease is held while the run's row names its owner and fence: one that expired stays held until another engine
 * claims the run (which raises the fence), its holder releases it, or the run finishes (a status other than RUNNING
 * clears the owner, so a finished run is never claimed). Writes under a lease lock the run's row first
 * ({@code FOR SHARE} on PostgreSQL, {@code FOR UPDATE} on H2) and check owner and fence, so a claim comes wholly
 * before or wholly after them. On PostgreSQL a claim is one {@code UPDATE ... WHERE seq IN (SELECT ... FOR UPDATE SKIP
 * LOCKED LIMIT n) RETURNING ...}; on H2, which cannot skip locked rows, a transaction reads the claimable runs and
 * takes each with an UPDATE conditional on its fence, so a run another process took meanwhile is passed over.
 *
 * <p>Thread-safe.
 */
public final class RunLeases {
  private static final String CLAIMABLE = "status = 'RUNNING' AND (lease_owner IS NULL OR lease_until <= %s)";

  private final Transactor tx;
  private final JdbcLedger ledger;
  /** Serialises this process's claims on H2, which has no SKIP LOCKED to keep claimers apart. */
  private final Object claimLock = new Object();

  public RunLeases(Transactor tx, JdbcLedger ledger) {
    this.tx = tx;
    this.ledger = ledger;
  }

  /**
   * Whether {@code lease} still holds its run; the run's row stays locked against claims until the transaction ends
   * ({@code exclusive}ly for a write of that row, else shared where the database can).
   */
  public static boolean holds(Connection c, Dialect dialect, RunLease lease, boolean exclusive) throws SQLException {
    return Sql.exists(c, "SELECT 1 FROM runs WHERE project = ? AND run_id = ? AND lease_owner = ? AND lease_fence = ? "
        + (exclusive || dialect != Dialect.POSTGRESQL ? "FOR UPDATE" : "FOR SHARE"), lease.project(), lease.runId(),
        lease.owner(), lease.fence());
  }

  /** A write under a lease. */
  @FunctionalInterface
  public interface FencedWrite {
    void apply(Connection c) throws SQLException;
  }

  /**
   * Runs {@code write} in one transaction if {@code lease} still holds its run, with the run's row locked against
   * claims meanwhile ({@code exclusive} for a write of that row itself).
   *
   * @return false when the lease was lost: nothing was written
   */
  public boolean fenced(RunLease lease, String what, boolean exclusive, FencedWrite write) {
    Objects.requireNonNull(lease, "lease");
    JoinedTransaction joined = tx.joined();
    return tx.write(what + " under the lease of " + lease.owner() + " (fence " + lease.fence() + ")", false, c -> {
      // In a transaction that already checked the lease with the row locked, it still holds: nothing can change it
      // before the commit but this transaction itself, which forgets the check when it does (release, acquire).
      boolean held = joined.knows(Held.of(lease, true)) || !exclusive && joined.knows(Held.of(lease, false))
          || holds(c, tx.dialect(), lease, exclusive);
      if (held) {
        write.apply(c);
        joined.learn(Held.of(lease, exclusive || tx.dialect() != Dialect.POSTGRESQL));
      }
      return held;
    });
  }

  /**
   * Whether this thread's open transaction has checked that {@code lease} holds its run, with the row locked: then
   * the lease holds until the transaction ends.
   */
  public boolean heldInThisTransaction(RunLease lease) {
    JoinedTransaction joined = tx.joined();
    return joined.current() != null && (joined.knows(Held.of(lease, true)) || joined.knows(Held.of(lease, false)));
  }

  /** A transaction's knowledge that {@code lease} holds its run, with the row locked exclusively or shared. */
  private record Held(String project, String runId, String owner, long fence, boolean exclusive) {
    static Held of(RunLease lease, boolean exclusive) {
      return new Held(lease.project(), lease.runId(), lease.owner(), lease.fence(), exclusive);
    }
  }

  /** This transaction changed the lease of a run: what it knew of the run's lease no longer holds. */
  private void changed(String project, String runId) {
    tx.joined().forget(f -> f instanceof Held h && h.project().equals(project) && h.runId().equals(runId));
  }

  /** Gives a run just inserted in this transaction to {@code owner}, with the first fence. */
  public RunLease hold(Connection c, String project, String runId, String owner, Duration lease) throws SQLException {
    Objects.requireNonNull(owner, "owner");
    Sql.checkLease(lease);
    try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET lease_owner = ?, lease_until = "
        + Sql.leaseUntil(tx.dialect()) + ", lease_fence = lease_fence + 1 WHERE project = ? AND run_id = ?")) {
      ps.setString(1, owner);
      Sql.bindLease(ps, 2, tx.dialect(), lease);
      ps.setString(3, project);
      ps.setString(4, runId);
      ps.executeUpdate();
    }
    return read(c, project, runId, false).orElseThrow();
  }

  /** See {@code Store.claimRuns}. */
  public List<RunLease> claim(String owner, int max, Duration lease) {
    Objects.requireNonNull(owner, "owner");
    Sql.checkLease(lease);
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1 (was " + max + ")");
    }
    return tx.dialect() == Dialect.POSTGRESQL ? claimPostgres(owner, max, lease) : claimH2(owner, max, lease);
  }

  private List<RunLease> claimPostgres(String owner, int max, Duration lease) {
    String sql = "UPDATE runs r SET lease_owner = ?, lease_until = " + Sql.leaseUntil(Dialect.POSTGRESQL)
        + ", lease_fence = r.lease_fence + 1 WHERE r.seq IN (SELECT q.seq FROM runs q WHERE q.status = 'RUNNING' "
        + "AND (q.lease_owner IS NULL OR q.lease_until <= now()) ORDER BY q.submitted_at, q.seq LIMIT ? FOR UPDATE SKIP LOCKED) "
        + "RETURNING r.project, r.run_id, r.lease_fence, r.lease_until, r.submitted_at, r.seq";
    return tx.write("claim runs for " + owner, false, c -> {
      WriteGate.enter(c, tx.dialect(), tx.joined()); // before any run row: see WriteGate
      List<Claimed> claimed = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, owner);
        Sql.bindLease(ps, 2, Dialect.POSTGRESQL, lease);
        ps.setInt(3, max);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            claimed.add(new Claimed(new RunLease(rs.getString(1), rs.getString(2), owner, rs.getLong(3),
                Sql.instant(rs, 4)), Sql.instant(rs, 5), rs.getLong(6)));
          }
        }
      }
      return finishClaim(c, claimed);
    });
  }

  private List<RunLease> claimH2(String owner, int max, Duration lease) {
    // One claimer per process at a time; other processes are kept out by the conditional UPDATE.
    synchronized (claimLock) {
      return tx.write("claim runs for " + owner, false, c -> {
      WriteGate.enter(c, tx.dialect(), tx.joined()); // before any run row: see WriteGate
        List<long[]> candidates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, lease_fence FROM runs WHERE "
            + String.format(CLAIMABLE, "CURRENT_TIMESTAMP") + " ORDER BY submitted_at, seq LIMIT ?")) {
          ps.setInt(1, max);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              candidates.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
          }
        }
        List<Claimed> claimed = new ArrayList<>();
        try (PreparedStatement up = c.prepareStatement("UPDATE runs SET lease_owner = ?, lease_until = "
            + Sql.leaseUntil(Dialect.H2) + ", lease_fence = lease_fence + 1 WHERE seq = ? AND lease_fence = ? AND "
            + String.format(CLAIMABLE, "CURRENT_TIMESTAMP"));
            PreparedStatement read = c.prepareStatement("SELECT project, run_id, lease_fence, lease_until, "
                + "submitted_at FROM runs WHERE seq = ?")) {
          for (long[] k : candidates) {
            up.setString(1, owner);
            Sql.bindLease(up, 2, Dialect.H2, lease);
            up.setLong(3, k[0]);
            up.setLong(4, k[1]);
            if (up.executeUpdate() == 1) {
              read.setLong(1, k[0]);
              try (ResultSet rs = read.executeQuery()) {
                rs.next();
                claimed.add(new Claimed(new RunLease(rs.getString(1), rs.getString(2), owner, rs.getLong(3),
                    Sql.instant(rs, 4)), Sql.instant(rs, 5), k[0]));
              }
            }
          }
        }
        return finishClaim(c, claimed);
      });
    }
  }

  /** Releases the claimed runs' earlier reservations, in the claim's transaction; the leases oldest run first. */
  private List<RunLease> finishClaim(Connection c, List<Claimed> claimed) throws SQLException {
    claimed.sort((a, b) -> a.submittedAt.equals(b.submittedAt) ? Long.compare(a.seq, b.seq)
        : a.submittedAt.compareTo(b.submittedAt));
    List<RunLease> out = new ArrayList<>(claimed.size());
    for (Claimed k : claimed) {
      out.add(k.lease);
    }
    ledger.releaseEarlierLeases(c, out);
    return out;
  }

  private record Claimed(RunLease lease, Instant submittedAt, long seq) {}

  /**
   * See {@code Store.acquireRun}: in one transaction, locks the run's row; a run that a live lease holds is left
   * alone; a finished one becomes RUNNING again; then it is held by {@code owner} under a new fence, and the
   * reservations of its earlier leases are released.
   */
  public Optional<RunLease> acquire(String project, String runId, String owner, Duration lease) {
    Objects.requireNonNull(owner, "owner");
    Sql.checkLease(lease);
    String now = tx.dialect() == Dialect.POSTGRESQL ? "now()" : "CURRENT_TIMESTAMP";
    return tx.write("take run " + project + "/" + runId + " for " + owner, false, c -> {
      WriteGate.enter(c, tx.dialect(), tx.joined()); // before the run's row: see WriteGate
      boolean free;
      // On PostgreSQL a row another transaction holds is in use by a live engine: not free, and not waited for.
      try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN status = 'RUNNING' AND lease_owner IS NOT "
          + "NULL AND lease_until > " + now + " THEN 0 ELSE 1 END FROM runs WHERE project = ? AND run_id = ? "
          + (tx.dialect() == Dialect.POSTGRESQL ? "FOR UPDATE SKIP LOCKED" : "FOR UPDATE"))) {
        Sql.bind(ps, project, runId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.<RunLease>empty();
          }
          free = rs.getInt(1) == 1;
        }
      }
      if (!free) {
        return Optional.<RunLease>empty();
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = 'RUNNING', finished_at = NULL, "
          + "cancellation = NULL, lease_owner = ?, lease_until = " + Sql.leaseUntil(tx.dialect())
          + ", lease_fence = lease_fence + 1 WHERE project = ? AND run_id = ?")) {
        ps.setString(1, owner);
        Sql.bindLease(ps, 2, tx.dialect(), lease);
        ps.setString(3, project);
        ps.setString(4, runId);
        ps.executeUpdate();
      }
      RunLease held = read(c, project, runId, false).orElseThrow();
      ledger.releaseEarlierLeases(c, List.of(held));
      changed(project, runId);
      return Optional.of(held);
    });
  }

  /**
   * See {@code Store.renewRuns}: renews each lease {@code owner} still holds; returns the others. Each lease is renewed
   * in a transaction of its own: the engine's own transactions hold the rows of the runs they write until they commit,
   * and a renewal holding one row while it waits for another would wait on them in a cycle.
   */
  public List<RunLease> renew(String owner, Collection<RunLease> held, Duration lease) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(held, "held");
    Sql.checkLease(lease);
    List<RunLease> lost = new ArrayList<>();
    String sql = "UPDATE runs SET lease_until = " + Sql.leaseUntil(tx.dialect())
        + " WHERE project = ? AND run_id = ? AND lease_owner = ? AND lease_fence = ?";
    for (RunLease h : held) {
      if (!h.owner().equals(owner)) {
        lost.add(h);
        continue;
      }
      int renewed = tx.write("renew the lease of " + owner + " on " + h.project() + "/" + h.runId(), false, c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          Sql.bindLease(ps, 1, tx.dialect(), lease);
          ps.setString(2, h.project());
          ps.setString(3, h.runId());
          ps.setString(4, owner);
          ps.setLong(5, h.fence());
          return ps.executeUpdate();
        }
      });
      if (renewed == 0) {
        lost.add(h);
      }
    }
    return lost;
  }

  /** See {@code Store.releaseRun}. */
  public void release(RunLease lease) {
    Objects.requireNonNull(lease, "lease");
    tx.write("release run " + lease.project() + "/" + lease.runId(), false, c -> {
      changed(lease.project(), lease.runId());
      return Sql.update(c, "UPDATE runs SET lease_owner = NULL, lease_until = NULL WHERE project = ? AND run_id = ? "
          + "AND lease_owner = ? AND lease_fence = ?", lease.project(), lease.runId(), lease.owner(), lease.fence());
    });
  }

  /** See {@code Store.lease}: the run's lease when a live one holds it. */
  public Optional<RunLease> lease(String project, String runId) {
    return tx.read("read the lease of " + project + "/" + runId, c -> read(c, project, runId, true));
  }

  private Optional<RunLease> read(Connection c, String project, String runId, boolean liveOnly) throws SQLException {
    String now = tx.dialect() == Dialect.POSTGRESQL ? "now()" : "CURRENT_TIMESTAMP";
    try (PreparedStatement ps = c.prepareStatement("SELECT lease_owner, lease_fence, lease_until FROM runs "
        + "WHERE project = ? AND run_id = ? AND lease_owner IS NOT NULL"
        + (liveOnly ? " AND lease_until > " + now : ""))) {
      Sql.bind(ps, project, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new RunLease(project, runId, rs.getString(1), rs.getLong(2),
            Sql.instant(rs, 3))) : Optional.empty();
      }
    }
  }

  /**
   * See {@code Store.takeCommands(String)}: deletes and returns, oldest first, the commands whose run {@code owner}
   * holds a live lease on. The runs' rows are locked with the commands' ({@code FOR SHARE} on PostgreSQL), so a claim
   * of one of them comes wholly before (its commands stay for the new holder) or after.
   */
  public List<Command> takeCommands(String owner) {
    Objects.requireNonNull(owner, "owner");
    String sql = tx.dialect() == Dialect.POSTGRESQL
        ? "SELECT c.seq, c.body FROM commands c JOIN runs r ON r.project = c.project AND r.run_id = c.run_id "
            + "WHERE r.lease_owner = ? AND r.lease_until > now() ORDER BY c.seq FOR UPDATE OF c FOR SHARE OF r"
        : "SELECT c.seq, c.body FROM commands c JOIN runs r ON r.project = c.project AND r.run_id = c.run_id "
            + "WHERE r.lease_owner = ? AND r.lease_until > CURRENT_TIMESTAMP ORDER BY c.seq FOR UPDATE";
    return tx.write("take the commands of " + owner, false, c -> {
      List<Object[]> found = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, owner);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(new Object[] {rs.getLong(1), rs.getString(2)});
          }
        }
      }
      List<Command> out = new ArrayList<>(found.size());
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM commands WHERE seq = ?")) {
        for (Object[] f : found) {
          delete.setLong(1, (Long) f[0]);
          if (delete.executeUpdate() == 1) {
            out.add(Json.readCommand((String) f[1]));
          }
        }
      }
      return out;
    });
  }
}
