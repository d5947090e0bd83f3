package dev.orchestrator.spring.boot;

import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetLine;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/orchestrator}: the engine, its providers, each project's runs counted by status, and every budget
 * with what is spent under it; {@code /actuator/orchestrator/{project}} lists that project's runs, newest first.
 * Read only. Expose it with {@code management.endpoints.web.exposure.include=health,orchestrator}.
 *
 * <p>It shows no prompt, output or secret: runs are listed by id, workflow and status. Thread-safe.
 */
@Endpoint(id = "orchestrator")
public class OrchestratorEndpoint {
  /** The most runs one project's listing shows. */
  static final int MAX_RUNS = 100;

  private final Orchestrator orchestrator;

  /** Reports on {@code orchestrator}. */
  public OrchestratorEndpoint(Orchestrator orchestrator) {
    this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
  }

  /** The summary: engine, providers, runs per project and status, budgets. */
  @ReadOperation
  public Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("engine", orchestrator.engineName());
    out.put("store", orchestrator.store().getClass().getSimpleName());
    out.put("providers", orchestrator.providers());
    Map<String, Object> projects = new LinkedHashMap<>();
    for (String project : orchestrator.store().projects()) {
      Map<String, Integer> byStatus = new TreeMap<>();
      List<RunRecord> runs = orchestrator.store().runs(project);
      for (RunRecord r : runs) {
        byStatus.merge(r.status().name(), 1, Integer::sum);
      }
      projects.put(project, Map.of("runs", runs.size(), "byStatus", byStatus));
    }
    out.put("projects", projects);
    out.put("budgets", budgets());
    return out;
  }

  /** One project's runs, newest first, at most {@value #MAX_RUNS}. */
  @ReadOperation
  public Map<String, Object> project(@Selector String project) {
    List<RunRecord> runs = new ArrayList<>(orchestrator.store().runs(project));
    runs.sort((a, b) -> b.submittedAt().compareTo(a.submittedAt()));
    List<Map<String, Object>> listed = new ArrayList<>();
    for (RunRecord r : runs.subList(0, Math.min(MAX_RUNS, runs.size()))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.id());
      m.put("workflow", r.workflow());
      m.put("status", r.status().name());
      m.put("submittedAt", r.submittedAt().toString());
      if (r.finishedAt() != null) {
        m.put("finishedAt", r.finishedAt().toString());
      }
      listed.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("project", project);
    out.put("runs", runs.size());
    out.put("latest", listed);
    return out;
  }

  private List<Map<String, Object>> budgets() {
    Map<BudgetScope, BudgetLine> lines = new LinkedHashMap<>();
    for (BudgetLine l : orchestrator.costReport().lines()) {
      lines.put(l.scope(), l);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Budget b : orchestrator.budgets()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scope", b.scope().kind().name().toLowerCase(Locale.ROOT));
      if (b.scope().kind() != BudgetScope.Kind.GLOBAL) {
        m.put("name", b.scope().name());
      }
      m.put("limit", b.limit().toString());
      BudgetLine line = lines.get(b.scope());
      if (line != null) {
        m.put("spent", line.spent().toString());
        m.put("reserved", line.reserved().toString());
        if (line.remaining() != null) {
          m.put("remaining", line.remaining().toString());
        }
        m.put("paused", line.paused());
      }
      out.add(m);
    }
    return out;
  }
}
