package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.event.RunSubmittedEvent;
import dev.orchestrator.spi.store.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * A stored event whose form cannot be read (a row changed by hand, or written by an incompatible version) is skipped
 * by every reader of the stream, which goes on with the next one; it used to stop each of them at that row for ever.
 */
class UnreadableEventTest {
  @Test
  void aReaderGoesPastAnEventItCannotRead() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:unreadable-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    try (JdbcStore store = JdbcStore.of(ds)) {
      for (int i = 1; i <= 3; i++) {
        store.append(new RunSubmittedEvent("p", "run-" + i, Instant.parse("2026-01-05T00:00:00Z"), "w", 1));
      }
      List<StoredEvent> all = store.eventsAfter(0, 10);
      assertThat(all).hasSize(3);
      long middle = all.get(1).sequence();
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement("UPDATE events SET body = ? WHERE seq = ?")) {
        ps.setString(1, "{\"project\": \"p\", \"runId\": ");
        ps.setLong(2, middle);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }

      assertThat(store.eventsAfter(0, 10)).extracting(e -> ((RunSubmittedEvent) e.event()).runId())
          .containsExactly("run-1", "run-3");
      assertThat(store.eventsAfter(all.get(0).sequence(), 1)).as("a batch of one goes past it too")
          .extracting(StoredEvent::sequence).containsExactly(all.get(2).sequence());
      assertThat(store.events("p", "run-2")).as("a run's own events skip it as well").isEmpty();
      assertThat(store.events("p", "run-3")).hasSize(1);
    }
  }
}
