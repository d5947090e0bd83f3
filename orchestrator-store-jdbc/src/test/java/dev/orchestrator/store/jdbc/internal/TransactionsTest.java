package dev.orchestrator.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.OrchestratorException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction whose connection breaks during its commit (the process serving the embedded file exited) is settled
 * by its receipt: saved, it is not run again; lost, it is run again; either way its work is applied exactly once.
 */
class TransactionsTest {
  /** What the next commit does. */
  enum Commit { NORMAL, SAVED_THEN_BROKEN, BROKEN_BEFORE_SAVING }

  @TempDir
  Path dir;

  private String url;
  private final AtomicReference<Commit> nextCommit = new AtomicReference<>(Commit.NORMAL);
  private final AtomicInteger evicted = new AtomicInteger();

  @BeforeEach
  void createTables() throws SQLException {
    url = "jdbc:h2:file:" + dir.resolve("db");
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE commit_receipts (token VARCHAR(36) PRIMARY KEY, "
          + "created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
      s.execute("CREATE TABLE counter (n INT NOT NULL)");
      s.execute("INSERT INTO counter VALUES (0)");
    }
  }

  private Transactions transactions(boolean receipts) {
    return new Transactions(new BreakingDataSource(), Dialect.H2, "test", StoreRetry.h2(Duration.ofSeconds(10)),
        receipts ? dir.resolve("db.mv.db") : null, c -> evicted.incrementAndGet(), () -> false);
  }

  private int counter() throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n FROM counter")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private int increment(Transactions tx, AtomicInteger runs) {
    return tx.write("increment", false, c -> {
      runs.incrementAndGet();
      return Sql.update(c, "UPDATE counter SET n = n + 1");
    });
  }

  @Test
  void aCommitThatWasSavedBeforeTheConnectionBrokeIsNotRunAgain() throws SQLException {
    AtomicInteger runs = new AtomicInteger();
    nextCommit.set(Commit.SAVED_THEN_BROKEN);
    assertThat(increment(transactions(true), runs)).isEqualTo(1);
    assertThat(runs).hasValue(1);
    assertThat(counter()).isEqualTo(1);
    assertThat(evicted).as("the broken connection left the pool").hasValue(1);
  }

  @Test
  void aCommitLostWithTheConnectionIsRunAgainOnce() throws SQLException {
    AtomicInteger runs = new AtomicInteger();
    nextCommit.set(Commit.BROKEN_BEFORE_SAVING);
    assertThat(increment(transactions(true), runs)).isEqualTo(1);
    assertThat(runs).hasValue(2);
    assertThat(counter()).isEqualTo(1);
  }

  @Test
  void withoutReceiptsABrokenCommitIsReportedAsUnknownAndNotRunAgain() throws SQLException {
    AtomicInteger runs = new AtomicInteger();
    nextCommit.set(Commit.SAVED_THEN_BROKEN);
    Transactions tx = transactions(false);
    assertThatThrownBy(() -> increment(tx, runs)).isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("whether it was saved is unknown");
    assertThat(runs).hasValue(1);
    assertThat(counter()).isEqualTo(1);
  }

  @Test
  void aLostRaceAnswersTheGivenValueAndChangesNothing() throws SQLException {
    Transactions tx = transactions(true);
    Boolean answer = tx.writeOr("insert twice", c -> {
      Sql.update(c, "UPDATE counter SET n = 7");
      throw new SQLException("Unique index violation", Sql.UNIQUE_VIOLATION, 23505);
    }, e -> Sql.UNIQUE_VIOLATION.equals(e.getSQLState()), false);
    assertThat(answer).isFalse();
    assertThat(counter()).isZero();
  }

  @Test
  void oldReceiptsArePrunedAndNewOnesKept() throws SQLException {
    Transactions tx = transactions(true);
    increment(tx, new AtomicInteger());
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
      s.execute("INSERT INTO commit_receipts (token, created_at) VALUES ('old', CURRENT_TIMESTAMP - INTERVAL '2' "
          + "HOUR)");
    }
    tx.pruneReceipts();
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT token FROM commit_receipts")) {
      int kept = 0;
      while (rs.next()) {
        assertThat(rs.getString(1)).isNotEqualTo("old");
        kept++;
      }
      assertThat(kept).as("the receipts of the increment and of the prune itself").isEqualTo(2);
    }
  }

  @Test
  void aBlockWhoseCommitWasSavedBeforeTheConnectionBrokeReadsItsReceiptElsewhereAndSucceeds() throws SQLException {
    AtomicInteger runs = new AtomicInteger();
    Transactions tx = transactions(true);
    nextCommit.set(Commit.SAVED_THEN_BROKEN);
    int result = tx.atomically(() -> increment(tx, runs) + increment(tx, runs));
    assertThat(result).isEqualTo(2);
    assertThat(runs).as("a block is never run again").hasValue(2);
    assertThat(counter()).isEqualTo(2);
    assertThat(evicted).as("the broken connection left the pool").hasValue(1);
  }

  @Test
  void aBlockWhoseCommitWasLostWithTheConnectionFailsAndKeepsNothing() throws SQLException {
    AtomicInteger runs = new AtomicInteger();
    Transactions tx = transactions(true);
    nextCommit.set(Commit.BROKEN_BEFORE_SAVING);
    assertThatThrownBy(() -> tx.atomically(() -> increment(tx, runs)))
        .isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("could not keep writes together")
        .hasMessageContaining("nothing of it was kept");
    assertThat(runs).as("a block is never run again").hasValue(1);
    assertThat(counter()).isZero();
  }

  /**
   * Connections whose next commit breaks as {@link #nextCommit} says, once; like a connection to a server that went
   * away, one whose commit broke answers nothing afterwards.
   */
  private final class BreakingDataSource extends ConnectionsOnly {
    @Override
    public Connection getConnection() throws SQLException {
      Connection real = DriverManager.getConnection(url, "sa", "");
      AtomicBoolean dead = new AtomicBoolean();
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            switch (method.getName()) {
              case "close" -> {
                real.close();
                return null;
              }
              case "isValid" -> {
                return !dead.get() && real.isValid((Integer) args[0]);
              }
              default -> {
                if (dead.get()) {
                  throw broken();
                }
              }
            }
            if (method.getName().equals("commit")) {
              Commit mode = nextCommit.getAndSet(Commit.NORMAL);
              if (mode == Commit.BROKEN_BEFORE_SAVING) {
                real.rollback();
                dead.set(true);
                throw broken();
              }
              real.commit();
              if (mode == Commit.SAVED_THEN_BROKEN) {
                dead.set(true);
                throw broken();
              }
              return null;
            }
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    private SQLException broken() {
      return new SQLException("Connection is broken: \"session closed\"", "08006", H2Failures.CONNECTION_BROKEN);
    }
  }
}
