package dev.orchestrator.store.jdbc.internal;

import static dev.orchestrator.store.jdbc.internal.H2FailuresTest.h2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.store.jdbc.StoreUnavailableException;
import dev.orchestrator.store.jdbc.StoreUnavailableException.Reason;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * H2's errors on opening a data directory, said in plain words: the reason, the path and the fix, never H2's text.
 * (The real files are in {@code BadDataDirectoryTest}; this covers the errors a test cannot provoke as root.)
 */
class EmbeddedFailuresTest {
  private static final Path DIR = Path.of("/data/store");
  private static final Path FILE = DIR.resolve("orchestrator.mv.db");
  private static final Duration BOUND = Duration.ofSeconds(30);

  private static StoreUnavailableException explain(Throwable t) {
    StoreUnavailableException e = EmbeddedFailures.explain(t, DIR, FILE, false, BOUND);
    assertThat(e).as("explained: %s", t).isNotNull();
    assertThat(e.getMessage()).doesNotContain("Wrong user name", "check the URL", "recovery tool", "[9", "[8")
        .contains("/data/store");
    assertThat(e.getCause()).isSameAs(t);
    return e;
  }

  @Test
  void aDamagedOrForeignFileIsDamagedAndSaysToMoveItAside() {
    for (SQLException e : new SQLException[] {h2(90030, "File corrupted while reading record"),
        h2(90028, "IO Exception: \"/data/store/orchestrator.mv.db\""), h2(90048, "Unsupported database file version"),
        h2(28000, "Wrong user name or password"), h2(50000, "General error: \"java.lang.IllegalStateException\"")}) {
      StoreUnavailableException plain = explain(e);
      assertThat(plain.reason()).isEqualTo(Reason.DAMAGED);
      assertThat(plain.path()).isEqualTo(FILE);
      assertThat(plain.getMessage()).contains(FILE.toString(), "move it aside", "orchestrator.mv.db.bad");
    }
  }

  @Test
  void aFileThisUserMayNotOpenIsUnreadable() {
    SQLException e = h2(90028, "IO Exception: \"/data/store/orchestrator.mv.db\"");
    e.initCause(new AccessDeniedException(FILE.toString()));
    StoreUnavailableException plain = explain(e);
    assertThat(plain.reason()).isEqualTo(Reason.UNREADABLE);
    assertThat(plain.getMessage()).contains("permission denied", "read and write access");
  }

  @Test
  void aReadOnlyFileOrDirectoryIsReadOnly() {
    for (SQLException e : new SQLException[] {
        h2(50100, "Feature not supported: \"AUTO_SERVER=TRUE && (readOnly || inMemory || FILE_LOCK=NO)\""),
        h2(90097, "The database is read only"), h2(90034, "Log file error: \"/data/store/orchestrator.trace.db\"")}) {
      StoreUnavailableException plain = explain(e);
      assertThat(plain.reason()).isEqualTo(Reason.READ_ONLY);
      assertThat(plain.getMessage()).contains("read-only", "writable");
    }
  }

  @Test
  void theBoundReachedIsBusyAndSaysWhatHeldIt() {
    StoreUnavailableException busy = EmbeddedFailures.explain(h2(50200, "Timeout trying to lock table"), DIR, FILE,
        true, BOUND);
    assertThat(busy).isNotNull();
    assertThat(busy.reason()).isEqualTo(Reason.BUSY);
    assertThat(busy.getMessage()).contains("busy for more than 30 s", "a row another transaction held",
        "nothing was changed", "Try again").doesNotContain("Timeout trying");
  }

  @Test
  void anythingElseIsLeftToTheCaller() {
    assertThat(EmbeddedFailures.explain(h2(42102, "Table not found"), DIR, FILE, false, BOUND)).isNull();
    assertThat(EmbeddedFailures.explain(new IllegalStateException("x"), DIR, FILE, false, BOUND)).isNull();
  }
}
