package dev.orchestrator.store.jdbc.internal;

import dev.orchestrator.spi.store.Pause;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The pauses of a JDBC store ({@code pauses}: one row per kind and name), which every engine sharing the database
 * honours. Project names are compared as they are (case-sensitive); provider names are lower-case. Thread-safe.
 */
public final class Pauses {
  private final Transactor tx;

  public Pauses(Transactor tx) {
    this.tx = tx;
  }

  /** Stores a pause, replacing one of the same kind and name, in one statement. */
  public void save(Pause pause) {
    Objects.requireNonNull(pause, "pause");
    String sql = tx.dialect() == Dialect.POSTGRESQL
        ? "INSERT INTO pauses (kind, name, reason, paused_at) VALUES (?, ?, ?, ?) ON CONFLICT (kind, name) DO UPDATE "
            + "SET reason = EXCLUDED.reason, paused_at = EXCLUDED.paused_at"
        : "MERGE INTO pauses (kind, name, reason, paused_at) KEY (kind, name) VALUES (?, ?, ?, ?)";
    // Two first pauses of one name at once may both insert on H2: the loser runs again and replaces.
    tx.write("pause " + pause.kind().name().toLowerCase(Locale.ROOT) + " " + pause.name(), true,
        c -> Sql.update(c, sql, pause.kind().name(), pause.name(), pause.reason(), pause.at()));
  }

  /** Deletes a pause; returns whether there was one. */
  public boolean delete(Pause.Kind kind, String name) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    String key = kind == Pause.Kind.PROVIDER ? name.toLowerCase(Locale.ROOT) : name;
    return tx.write("resume " + kind.name().toLowerCase(Locale.ROOT) + " " + key, false,
        c -> Sql.update(c, "DELETE FROM pauses WHERE kind = ? AND name = ?", kind.name(), key) > 0);
  }

  /** Every pause, by kind then name as Java compares strings. */
  public List<Pause> list() {
    List<Pause> out = tx.read("list pauses", c -> {
      List<Pause> found = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT kind, name, reason, paused_at FROM pauses");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(Pause.builder().kind(Pause.Kind.valueOf(rs.getString(1))).name(rs.getString(2))
              .reason(rs.getString(3)).at(Sql.instant(rs, 4)).build());
        }
      }
      return found;
    });
    out.sort(Comparator.comparing(Pause::kind).thenComparing(Pause::name));
    return List.copyOf(out);
  }
}
