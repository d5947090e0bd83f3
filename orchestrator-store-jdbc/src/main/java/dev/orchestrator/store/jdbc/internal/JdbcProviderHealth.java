package dev.orchestrator.store.jdbc.internal;

import dev.orchestrator.policy.CircuitBreakerPolicy;
import dev.orchestrator.policy.CircuitState.State;
import dev.orchestrator.policy.RateLimit;
import dev.orchestrator.spi.store.ProviderHealth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The provider health of a JDBC store, shared by every process that uses its database: one row per provider in
 * {@code provider_health} (its circuit), its counted failures in {@code provider_failures} and its rate window's
 * starts in {@code provider_starts}.
 *
 * <p>Every write is one transaction that first locks the provider's row ({@code SELECT ... FOR UPDATE}, the row
 * inserted on the provider's first failure or start), then reads and writes the provider's failures and starts with
 * the row held: two writers for one provider take turns, so no failure or start is lost under PostgreSQL's READ
 * COMMITTED, a limit is never passed, and exactly one writer sees each move of the circuit. Only one row is locked
 * per transaction, so no two wait on each other in a cycle. Times are the callers', kept to the microsecond.
 *
 * <p>Thread-safe.
 */
public final class JdbcProviderHealth implements ProviderHealth {
  private final Transactor tx;

  public JdbcProviderHealth(Transactor tx) {
    this.tx = tx;
  }

  /** A provider's row as locked, changed in place and written back. */
  private static final class Row {
    State state = State.CLOSED;
    @Nullable Instant openedAt;
    @Nullable Instant openUntil;
    int probeSuccesses;
    @Nullable String probeOwner;
    @Nullable Instant probeUntil;

    void open(Instant at, Duration openFor) {
      state = State.OPEN;
      openedAt = at;
      openUntil = at.plus(openFor);
      probeSuccesses = 0;
      probeOwner = null;
      probeUntil = null;
    }

    void close() {
      state = State.CLOSED;
      openedAt = null;
      openUntil = null;
      probeSuccesses = 0;
      probeOwner = null;
      probeUntil = null;
    }

    boolean halfOpenIfDue(Instant now) {
      if (state != State.OPEN || openUntil == null || now.isBefore(openUntil)) {
        return false;
      }
      return halfOpenNow();
    }

    /** An open circuit half-opens now, keeping when it opened and until when, for the next opening's length. */
    boolean halfOpenNow() {
      if (state != State.OPEN) {
        return false;
      }
      state = State.HALF_OPEN;
      probeSuccesses = 0;
      probeOwner = null;
      probeUntil = null;
      return true;
    }
  }

  @Override
  public Circuit circuit(String provider, Instant now) {
    String name = ProviderHealth.checkProvider(provider);
    Instant t = micros(Objects.requireNonNull(now, "now"));
    // Read once per transaction: an engine's pass starts many calls to one provider, and the row cannot change in it
    // except by this transaction's own writes, which forget what was read.
    JoinedTransaction joined = tx.joined();
    Seen seen = joined.current() == null ? null : (Seen) joined.recall(new SeenKey(name));
    if (seen != null) {
      return seen.row() == null ? Circuit.closed(name) : view(name, seen.row(), seen.failures(), t);
    }
    // One statement, so the row and its failures come from one snapshot.
    return tx.read("read the circuit of provider " + name, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT h.state, h.opened_at, h.open_until, h.probe_successes, "
          + "h.probe_owner, h.probe_until, f.failed_at FROM provider_health h LEFT JOIN provider_failures f "
          + "ON f.provider = h.provider WHERE h.provider = ? ORDER BY f.failed_at")) {
        Sql.bind(ps, name);
        try (ResultSet rs = ps.executeQuery()) {
          Row row = null;
          List<Instant> failures = new ArrayList<>();
          while (rs.next()) {
            if (row == null) {
              row = read(rs);
            }
            Instant failed = nullableInstant(rs, 7);
            if (failed != null) {
              failures.add(failed);
            }
          }
          joined.remember(new SeenKey(name), new Seen(row, List.copyOf(failures)));
          return row == null ? Circuit.closed(name) : view(name, row, failures, t);
        }
      }
    });
  }

  @Override
  public Change recordFailure(String provider, @Nullable Instant callStartedAt, Instant at,
      CircuitBreakerPolicy policy) {
    String name = ProviderHealth.checkProvider(provider);
    Instant t = micros(Objects.requireNonNull(at, "at"));
    @Nullable Instant started = callStartedAt == null ? null : micros(callStartedAt);
    Objects.requireNonNull(policy, "policy");
    // The provider's first row may be inserted by two writers at once: the loser runs again and finds it.
    return tx.write("record a failure of provider " + name, true, c -> {
      beginWrite(c, name);
      Row row = Objects.requireNonNull(lock(c, name, true));
      if (row.state != State.CLOSED || !ProviderHealth.counts(started, newestFailure(c, name, started))) {
        return Change.none(view(c, name, row, t));
      }
      Sql.update(c, "INSERT INTO provider_failures (provider, failed_at) VALUES (?, ?)", name, t);
      Sql.update(c, "DELETE FROM provider_failures WHERE provider = ? AND failed_at <= ?", name,
          t.minus(policy.window()));
      int count = failures(c, name).size();
      if (count < policy.failureThreshold()) {
        return Change.none(view(c, name, row, t));
      }
      row.open(t, policy.openFor());
      write(c, name, row);
      Sql.update(c, "DELETE FROM provider_failures WHERE provider = ?", name);
      return new Change(view(c, name, row, t), State.OPEN, count);
    });
  }

  @Override
  public Change halfOpen(String provider, Instant now) {
    String name = ProviderHealth.checkProvider(provider);
    Instant t = micros(Objects.requireNonNull(now, "now"));
    return tx.write("half-open the circuit of provider " + name, false, c -> {
      beginWrite(c, name);
      Row row = lock(c, name, false);
      if (row == null) {
        return Change.none(Circuit.closed(name));
      }
      boolean moved = row.halfOpenIfDue(t);
      if (moved) {
        write(c, name, row);
      }
      return new Change(view(c, name, row, t), moved ? State.HALF_OPEN : null, 0);
    });
  }

  @Override
  public Change answered(String provider, Instant now) {
    String name = ProviderHealth.checkProvider(provider);
    Instant t = micros(Objects.requireNonNull(now, "now"));
    return tx.write("half-open the circuit of provider " + name + " after a health probe", false, c -> {
      beginWrite(c, name);
      Row row = lock(c, name, false);
      if (row == null) {
        return Change.none(Circuit.closed(name));
      }
      boolean moved = row.halfOpenNow();
      if (moved) {
        write(c, name, row);
      }
      return new Change(view(c, name, row, t), moved ? State.HALF_OPEN : null, 0);
    });
  }

  @Override
  public Change close(String provider, Instant at) {
    String name = ProviderHealth.checkProvider(provider);
    Instant t = micros(Objects.requireNonNull(at, "at"));
    return tx.write("close the circuit of provider " + name, false, c -> {
      beginWrite(c, name);
      Row row = lock(c, name, false);
      if (row == null) {
        return Change.none(Circuit.closed(name));
      }
      boolean moved = row.state != State.CLOSED;
      row.close();
      Sql.update(c, "DELETE FROM provider_failures WHERE provider = ?", name);
      write(c, name, row);
      return new Change(view(c, name, row, t), moved ? State.CLOSED : null, 0);
    });
  }

  @Override
  public ProbeClaim claimProbe(String provider, String owner, Instant now, Duration hold) {
    String name = ProviderHealth.checkProvider(provider);
    ProviderHealth.checkName("owner", owner);
    Instant t = micros(Objects.requireNonNull(now, "now"));
    ProviderHealth.checkHold(hold);
    return tx.write("claim the probe of provider " + name + " for " + owner, false, c -> {
      beginWrite(c, name);
      Row row = lock(c, name, false);
      if (row == null) {
        return new ProbeClaim(false, false, Circuit.closed(name));
      }
      boolean moved = row.halfOpenIfDue(t);
      boolean free = row.probeOwner == null || row.probeUntil == null || !row.probeUntil.isAfter(t);
      boolean granted = row.state == State.HALF_OPEN && free;
      if (granted) {
        row.probeOwner = owner;
        row.probeUntil = micros(t.plus(hold));
      }
      if (moved || granted) {
        write(c, name, row);
      }
      return new ProbeClaim(granted, moved, view(c, name, row, t));
    });
  }

  @Override
  public Change probeEnded(String provider, String owner, ProbeResult result, Instant at,
      CircuitBreakerPolicy policy) {
    String name = ProviderHealth.checkProvider(provider);
    ProviderHealth.checkName("owner", owner);
    Objects.requireNonNull(result, "result");
    Instant t = micros(Objects.requireNonNull(at, "at"));
    Objects.requireNonNull(policy, "policy");
    return tx.write("record the probe of provider " + name + " by " + owner, false, c -> {
      beginWrite(c, name);
      Row row = lock(c, name, false);
      if (row == null) {
        return Change.none(Circuit.closed(name));
      }
      if (row.state != State.HALF_OPEN || !owner.equals(row.probeOwner)) {
        return Change.none(view(c, name, row, t));
      }
      row.probeOwner = null;
      row.probeUntil = null;
      State entered = null;
      switch (result) {
        case SUCCEEDED -> {
          row.probeSuccesses++;
          if (row.probeSuccesses >= policy.probes()) {
            row.close();
            Sql.update(c, "DELETE FROM provider_failures WHERE provider = ?", name);
            entered = State.CLOSED;
          }
        }
        case FAILED -> {
          row.open(t, policy.reopenFor(row.openedAt == null || row.openUntil == null ? null
              : Duration.between(row.openedAt, row.openUntil)));
          entered = State.OPEN;
        }
        case ABANDONED -> { }
      }
      write(c, name, row);
      return new Change(view(c, name, row, t), entered, 0);
    });
  }

  @Override
  public RateDecision tryStart(String provider, Instant now, RateLimit limit, long tokens) {
    String name = ProviderHealth.checkProvider(provider);
    ProviderHealth.checkStart(now, limit, tokens);
    Instant t = micros(now);
    if (limit.requestsPerMinute() == 0 && limit.tokensPerMinute() == 0) {
      return new RateDecision(true, now);
    }
    return tx.write("start a call to provider " + name, true, c -> {
      beginWrite(c, name);
      lock(c, name, true);
      List<Instant> times = new ArrayList<>();
      List<Long> sizes = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT started_at, tokens FROM provider_starts "
          + "WHERE provider = ? ORDER BY started_at")) {
        Sql.bind(ps, name);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            times.add(Sql.instant(rs, 1));
            sizes.add(rs.getLong(2));
          }
        }
      }
      // A caller whose clock lags the newest start starts at it, so the window never opens in the past.
      Instant at = !times.isEmpty() && times.get(times.size() - 1).isAfter(t) ? times.get(times.size() - 1) : t;
      Instant horizon = at.minus(RATE_WINDOW);
      int first = 0;
      while (first < times.size() && !times.get(first).isAfter(horizon)) {
        first++;
      }
      if (first > 0) {
        Sql.update(c, "DELETE FROM provider_starts WHERE provider = ? AND started_at <= ?", name, horizon);
      }
      Instant next = nextAllowed(times.subList(first, times.size()), sizes.subList(first, sizes.size()), limit);
      if (next != null) {
        return new RateDecision(false, next);
      }
      Sql.update(c, "INSERT INTO provider_starts (provider, started_at, tokens) VALUES (?, ?, ?)", name, at, tokens);
      return new RateDecision(true, at);
    });
  }

  /**
   * When the window (pruned, oldest first) would next allow a start if nothing else started, or null when it allows
   * one now: the moment enough of its oldest starts have aged out.
   */
  private static @Nullable Instant nextAllowed(List<Instant> times, List<Long> sizes, RateLimit limit) {
    int n = times.size();
    long tokens = sizes.stream().mapToLong(Long::longValue).sum();
    boolean requestsFull = limit.requestsPerMinute() > 0 && n >= limit.requestsPerMinute();
    boolean tokensFull = limit.tokensPerMinute() > 0 && tokens >= limit.tokensPerMinute();
    if (!requestsFull && !tokensFull) {
      return null;
    }
    int i = 0;
    Instant last = null;
    while ((requestsFull && n - i >= limit.requestsPerMinute()) || (tokensFull && tokens >= limit.tokensPerMinute())) {
      last = times.get(i);
      tokens -= sizes.get(i);
      i++;
    }
    return Objects.requireNonNull(last).plus(RATE_WINDOW);
  }

  // ------------------------------------------------------------------ rows

  /**
   * Locks the provider's row until the transaction ends and reads it; with {@code create}, inserts it first when
   * missing, else returns null for a provider without one.
   */
  private @Nullable Row lock(Connection c, String name, boolean create) throws SQLException {
    Row row = row(c, name, true);
    if (row != null || !create) {
      return row;
    }
    if (tx.dialect() == Dialect.POSTGRESQL) {
      // A concurrent first insert makes this one wait for it and do nothing; the lock below then finds its row.
      Sql.update(c, "INSERT INTO provider_health (provider) VALUES (?) ON CONFLICT DO NOTHING", name);
    } else {
      // A concurrent insert of the same provider fails this one with a duplicate key: the transaction runs again.
      Sql.update(c, "INSERT INTO provider_health (provider) SELECT CAST(? AS VARCHAR) FROM DUAL WHERE NOT EXISTS "
          + "(SELECT 1 FROM provider_health WHERE provider = ?)", name, name);
    }
    return row(c, name, true);
  }

  private static @Nullable Row row(Connection c, String name, boolean lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT state, opened_at, open_until, probe_successes, "
        + "probe_owner, probe_until FROM provider_health WHERE provider = ?" + (lock ? " FOR UPDATE" : ""))) {
      Sql.bind(ps, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? read(rs) : null;
      }
    }
  }

  /** The row in columns 1 to 6: state, opened_at, open_until, probe_successes, probe_owner, probe_until. */
  /**
   * Starts a write of {@code provider}'s health: enters the write gate, and forgets what this transaction read of the
   * provider, which the write makes stale.
   */
  private void beginWrite(Connection c, String provider) throws SQLException {
    WriteGate.enter(c, tx.dialect(), tx.joined());
    tx.joined().remember(new SeenKey(provider), null);
  }

  /** What a transaction read of a provider's health: its row (null when none) and its failures. */
  private record Seen(@Nullable Row row, List<Instant> failures) {}

  private record SeenKey(String provider) {}

  private static Row read(ResultSet rs) throws SQLException {
    Row r = new Row();
    r.state = State.valueOf(rs.getString(1));
    r.openedAt = nullableInstant(rs, 2);
    r.openUntil = nullableInstant(rs, 3);
    r.probeSuccesses = rs.getInt(4);
    r.probeOwner = rs.getString(5);
    r.probeUntil = nullableInstant(rs, 6);
    return r;
  }

  private static void write(Connection c, String name, Row r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE provider_health SET state = ?, opened_at = ?, "
        + "open_until = ?, probe_successes = ?, probe_owner = ?, probe_until = ? WHERE provider = ?")) {
      ps.setString(1, r.state.name());
      Sql.setInstant(ps, 2, r.openedAt);
      Sql.setInstant(ps, 3, r.openUntil);
      ps.setInt(4, r.probeSuccesses);
      ps.setString(5, r.probeOwner);
      Sql.setInstant(ps, 6, r.probeUntil);
      ps.setString(7, name);
      ps.executeUpdate();
    }
  }

  /** The newest failure kept, read only when the call's start is known (null otherwise, or when none is kept). */
  private static @Nullable Instant newestFailure(Connection c, String name, @Nullable Instant callStartedAt)
      throws SQLException {
    if (callStartedAt == null) {
      return null;
    }
    List<Instant> kept = failures(c, name);
    return kept.isEmpty() ? null : kept.get(kept.size() - 1);
  }

  private static List<Instant> failures(Connection c, String name) throws SQLException {
    List<Instant> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT failed_at FROM provider_failures WHERE provider = ? "
        + "ORDER BY failed_at")) {
      Sql.bind(ps, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(Sql.instant(rs, 1));
        }
      }
    }
    return out;
  }

  /** The circuit as the row says at {@code now}: an open one whose time has come reads as half-open. */
  private static Circuit view(Connection c, String name, Row r, Instant now) throws SQLException {
    return view(name, r, r.state == State.CLOSED ? failures(c, name) : List.of(), now);
  }

  private static Circuit view(String name, Row r, List<Instant> failures, Instant now) {
    State state = r.state == State.OPEN && r.openUntil != null && !now.isBefore(r.openUntil) ? State.HALF_OPEN
        : r.state;
    return Circuit.builder().provider(name).state(state).failures(failures).openedAt(r.openedAt)
        .openUntil(r.openUntil).probeSuccesses(r.probeSuccesses).probeOwner(r.probeOwner)
        .probeHeldUntil(r.probeUntil).build();
  }

  private static @Nullable Instant nullableInstant(ResultSet rs, int index) throws SQLException {
    OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** Instants as the database keeps them, so what a call answers is what a later read finds. */
  private static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }
}
