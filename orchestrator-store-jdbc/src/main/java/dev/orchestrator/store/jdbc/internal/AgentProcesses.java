package dev.orchestrator.store.jdbc.internal;

import dev.orchestrator.spi.store.AgentProcess;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The agent processes of a JDBC store ({@code agent_processes}: one row per process, keyed by host, pid and start
 * time), so that an engine taking a run over can end what its dead owner left running. Thread-safe.
 */
public final class AgentProcesses {
  private final Transactor tx;

  public AgentProcesses(Transactor tx) {
    this.tx = tx;
  }

  /** Records a process, replacing a row of the same identity, in one statement. */
  public void save(AgentProcess p) {
    Objects.requireNonNull(p, "process");
    String columns = "host, pid, process_start, project, run_id, task_id, attempt, owner";
    String sql = tx.dialect() == Dialect.POSTGRESQL
        ? "INSERT INTO agent_processes (" + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (host, pid, "
            + "process_start) DO UPDATE SET project = EXCLUDED.project, run_id = EXCLUDED.run_id, task_id = "
            + "EXCLUDED.task_id, attempt = EXCLUDED.attempt, owner = EXCLUDED.owner"
        : "MERGE INTO agent_processes (" + columns + ") KEY (host, pid, process_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    tx.write("agent process " + p.pid() + " of run " + p.runId(), true, c -> Sql.update(c, sql, p.host(), p.pid(),
        p.processStart(), p.project(), p.runId(), p.taskId(), p.attempt(), p.owner()));
  }

  /** Removes a process's row, if any. */
  public void delete(AgentProcess p) {
    Objects.requireNonNull(p, "process");
    tx.write("forget agent process " + p.pid(), false, c -> Sql.update(c,
        "DELETE FROM agent_processes WHERE host = ? AND pid = ? AND process_start = ?", p.host(), p.pid(),
        p.processStart()));
  }

  /**
   * The processes recorded for the runs named by {@code where} (a condition on {@code project} and {@code run_id}
   * with {@code args}), read on {@code c}, in the transaction the caller holds.
   */
  public static List<AgentProcess> ofRuns(java.sql.Connection c, String where, List<String> args)
      throws java.sql.SQLException {
    List<AgentProcess> found = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT host, pid, process_start, task_id, attempt, owner, "
        + "project, run_id FROM agent_processes WHERE " + where)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(AgentProcess.builder().project(rs.getString(7)).runId(rs.getString(8))
              .taskId(rs.getString(4)).attempt(rs.getInt(5)).host(rs.getString(1)).pid(rs.getLong(2))
              .processStart(Sql.instant(rs, 3)).owner(rs.getString(6)).build());
        }
      }
    }
    return found;
  }

  /** The processes recorded for a run. */
  public List<AgentProcess> of(String project, String runId) {
    return tx.read("agent processes of run " + runId, c -> {
      List<AgentProcess> found = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT host, pid, process_start, task_id, attempt, owner FROM "
          + "agent_processes WHERE project = ? AND run_id = ?")) {
        ps.setString(1, project);
        ps.setString(2, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(AgentProcess.builder().project(project).runId(runId).taskId(rs.getString(4))
                .attempt(rs.getInt(5)).host(rs.getString(1)).pid(rs.getLong(2)).processStart(Sql.instant(rs, 3))
                .owner(rs.getString(6)).build());
          }
        }
      }
      return List.copyOf(found);
    });
  }
}
