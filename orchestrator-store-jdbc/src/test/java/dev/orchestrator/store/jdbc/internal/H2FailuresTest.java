package dev.orchestrator.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.store.jdbc.internal.H2Failures.Kind;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which H2 errors are the sharing of one file by many processes, and what to do about each. */
class H2FailuresTest {
  static SQLException h2(int code, String message) {
    return new SQLException(message + " [" + code + "-240]", Integer.toString(code), code);
  }

  @Test
  void openingRacesAndHandOversLoseTheConnection() {
    assertThat(H2Failures.of(h2(90020, "Database may be already in use: \"Locked by another process\"")))
        .isEqualTo(Kind.CONNECTION_LOST);
    assertThat(H2Failures.of(h2(90067, "Connection is broken: \"session closed\""))).isEqualTo(Kind.CONNECTION_LOST);
    assertThat(H2Failures.of(h2(90121, "Database is already closed"))).isEqualTo(Kind.CONNECTION_LOST);
    assertThat(H2Failures.of(h2(90098, "The database has been closed"))).isEqualTo(Kind.CONNECTION_LOST);
    assertThat(H2Failures.of(h2(90135, "The database is open in exclusive mode"))).isEqualTo(Kind.CONNECTION_LOST);
  }

  @Test
  void lockFileRacesAreTransientButOtherOpeningErrorsAreNot() {
    assertThat(H2Failures.of(h2(8000, "Error opening database: \"Lock file recently modified\"")))
        .isEqualTo(Kind.CONNECTION_LOST);
    assertThat(H2Failures.of(h2(8000, "Error opening database: \"Another process was faster\"")))
        .isEqualTo(Kind.CONNECTION_LOST);
    assertThat(H2Failures.of(h2(8000, "Error opening database: \"Concurrent update\"")))
        .isEqualTo(Kind.CONNECTION_LOST);
    assertThat(H2Failures.of(h2(8000, "Error opening database: \"Could not save properties /d/x.lock.db\"")))
        .as("a lock file that cannot be written: permissions, which no retry fixes")
        .isEqualTo(Kind.PERMANENT);
  }

  @Test
  void aConnectionBreakingWhileALargeValueIsReadIsLost() {
    SQLException lob = h2(90031, "IO Exception: \"java.io.IOException: org.h2.message.DbException: Connection is"
        + " broken: \"\"session closed\"\" [90067-240]\"; \"SPACE(885 /* table: -3 id: 163 */)\"");
    assertThat(H2Failures.of(lob)).isEqualTo(Kind.CONNECTION_LOST);
    SQLException reset = h2(90028, "IO Exception: \"Connection reset\"");
    reset.initCause(new java.net.SocketException("Connection reset"));
    assertThat(H2Failures.of(reset)).isEqualTo(Kind.CONNECTION_LOST);
    assertThat(H2Failures.of(h2(90028, "IO Exception: \"/d/orchestrator.mv.db\""))).isEqualTo(Kind.PERMANENT);
    SQLException truncated = h2(90028, "IO Exception: \"/d/orchestrator.mv.db\"");
    truncated.initCause(new java.io.EOFException("reading the file header"));
    assertThat(H2Failures.of(truncated)).as("a short file, not a connection").isEqualTo(Kind.PERMANENT);
  }

  @Test
  void aTransactionTheServerRolledBackUnderTheStatementIsLost() {
    SQLException closing = h2(50000, "General error: \"Transaction 1 has status ROLLED_BACK, not OPEN"
        + " [2.4.240/103]\"; SQL statement: INSERT INTO commit_receipts (token) VALUES (?)");
    assertThat(H2Failures.of(closing)).isEqualTo(Kind.CONNECTION_LOST);
    assertThat(H2Failures.of(h2(50000, "General error: \"java.lang.NullPointerException\"")))
        .isEqualTo(Kind.PERMANENT);
    SQLException marked = H2Failures.lostUnder(h2(42102, "Table not found"));
    assertThat(H2Failures.of(marked)).isEqualTo(Kind.CONNECTION_LOST);
    assertThat(marked.getCause()).hasMessageContaining("Table not found");
  }

  @Test
  void aConnectionThePoolDroppedIsLost() {
    RuntimeException migration = new RuntimeException("Unable to commit transaction",
        new SQLException("Connection is closed"));
    assertThat(H2Failures.of(migration)).isEqualTo(Kind.CONNECTION_LOST);
    assertThat(H2Failures.of(new SQLException("Connection is closed", "08003"))).isEqualTo(Kind.CONNECTION_LOST);
    assertThat(H2Failures.of(new SQLException("syntax", "42000"))).isEqualTo(Kind.PERMANENT);
    assertThat(H2Failures.of(new SQLTransientConnectionException("orchestrator-h2 - Connection is not available,"
        + " request timed out after 30000ms"))).as("the pool's own timeout, with no cause").isEqualTo(
        Kind.CONNECTION_LOST);
  }

  @Test
  void rowLocksAndCollisionsAreContention() {
    assertThat(H2Failures.of(h2(50200, "Timeout trying to lock table"))).isEqualTo(Kind.CONTENTION);
    assertThat(H2Failures.of(h2(40001, "Deadlock detected"))).isEqualTo(Kind.CONTENTION);
    assertThat(H2Failures.of(h2(90131, "Concurrent update in table"))).isEqualTo(Kind.CONTENTION);
  }

  @Test
  void everythingElseIsPermanent() {
    assertThat(H2Failures.of(h2(90030, "File corrupted while reading record"))).isEqualTo(Kind.PERMANENT);
    assertThat(H2Failures.of(h2(42102, "Table \"X\" not found"))).isEqualTo(Kind.PERMANENT);
    assertThat(H2Failures.of(h2(23505, "Unique index or primary key violation"))).isEqualTo(Kind.PERMANENT);
    assertThat(H2Failures.of(new IllegalStateException("no SQL here"))).isEqualTo(Kind.PERMANENT);
  }

  @Test
  void theCodeIsFoundUnderWrappersThatHaveNone() {
    SQLException pool = new SQLTransientConnectionException("orchestrator-h2 - Connection is not available",
        "08001", h2(90020, "Locked by another process"));
    RuntimeException migration = new RuntimeException("Unable to obtain connection", pool);
    assertThat(H2Failures.of(migration)).isEqualTo(Kind.CONNECTION_LOST);
    assertThat(H2Failures.code(migration)).isEqualTo(90020);
    assertThat(H2Failures.code(new RuntimeException("none"))).isZero();
  }

  @Test
  void wrongCredentialsAreToldApart() {
    assertThat(H2Failures.wrongCredentials(h2(28000, "Wrong user name or password"))).isTrue();
    assertThat(H2Failures.of(h2(28000, "Wrong user name or password"))).isEqualTo(Kind.PERMANENT);
    assertThat(H2Failures.wrongCredentials(h2(90020, "Locked"))).isFalse();
  }
}
