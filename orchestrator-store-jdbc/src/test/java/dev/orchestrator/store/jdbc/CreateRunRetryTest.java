package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.store.jdbc.internal.ConnectionsOnly;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that was saved but answered with an error the store retries (the database aborted it, as far as the
 * caller could tell): the retry finds the run its own first attempt saved, and must not call it a duplicate.
 */
class CreateRunRetryTest {
  @TempDir
  Path dir;

  private final AtomicBoolean breakNextCommit = new AtomicBoolean();

  private RunRecord run(String id) {
    return RunRecord.builder().project("p").id(id).workflow("w").status(RunStatus.SUCCEEDED)
        .submittedAt(Instant.parse("2026-12-05T10:00:00Z")).build();
  }

  @Test
  void aRunSavedByAnAttemptWhoseCommitAnsweredAnErrorIsNotADuplicateOnTheRetry() {
    try (JdbcStore store = JdbcStore.of(new SavedThenAbortedDataSource("jdbc:h2:file:" + dir.resolve("db")))) {
      breakNextCommit.set(true);
      store.createRun(run("r1"), "{\"name\":\"w\"}", List.of());
      assertThat(breakNextCommit).as("the commit was answered with an error").isFalse();
      assertThat(store.runs("p")).extracting(RunRecord::id).containsExactly("r1");
      // Without a broken commit, the same run twice is still refused.
      assertThatThrownBy(() -> store.createRun(run("r1"), "{\"name\":\"w\"}", List.of()))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("run r1 already exists in project p");
    }
  }

  /** Connections whose next commit, when armed, is saved and then answered with a serialization failure. */
  private final class SavedThenAbortedDataSource extends ConnectionsOnly {
    private final String url;

    SavedThenAbortedDataSource(String url) {
      this.url = url;
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection real = DriverManager.getConnection(url, "sa", "");
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            if (method.getName().equals("commit") && breakNextCommit.compareAndSet(true, false)) {
              real.commit();
              throw new SQLException("could not serialize access", "40001");
            }
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
  }
}
