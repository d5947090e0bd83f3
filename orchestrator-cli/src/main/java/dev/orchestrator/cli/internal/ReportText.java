package dev.orchestrator.cli.internal;

import dev.orchestrator.Money;
import dev.orchestrator.budget.BudgetLine;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.CostReport;
import dev.orchestrator.budget.Plan;
import dev.orchestrator.budget.ProviderCost;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The cost report and the dry-run plan as the command line prints them: amounts in {@link MoneyText}, provider
 * instances as the configuration names them, the plan as a {@link Tables} table (so long titles and amounts never
 * push columns out of line).
 */
final class ReportText {
  /** The widest task title a plan shows before it is cut. */
  private static final int TITLE = 40;

  private ReportText() {}

  /** The roadmap's {@code budget report}, with lines for estimates, overruns and unpriced calls when there are any. */
  static String costReport(CostReport r) {
    StringBuilder sb = new StringBuilder();
    line(sb, "report.spent", money(r.spent()));
    if (!r.estimated().isZero()) {
      line(sb, "report.estimated", money(r.estimated()));
    }
    if (!r.reserved().isZero()) {
      line(sb, "report.reserved", money(r.reserved()));
    }
    Money remaining = r.remaining();
    line(sb, "report.remaining", remaining == null ? Messages.get("report.noLimit") : money(remaining));
    Money limit = r.limit();
    line(sb, "report.projected", money(r.forecast()), limit == null ? ""
        : r.forecastWithinBudget() ? Messages.get("report.withinBudget")
        : Messages.get("report.overBudget", money(r.forecast().minus(limit))));
    if (!r.overrun().isZero()) {
      List<String> names = r.overrunProviders();
      line(sb, "report.overruns", money(r.overrun()), names.isEmpty() ? "" : " (" + String.join(", ", names) + ")");
    }
    if (r.unpricedCalls() > 0) {
      line(sb, "report.unpriced", r.unpricedCalls());
    }
    for (ProviderCost p : r.providers()) {
      StringBuilder l = new StringBuilder(p.provider()).append(": ").append(money(p.spent()));
      if (!p.estimated().isZero()) {
        l.append(Messages.get("report.ofWhichEstimated", money(p.estimated())));
      }
      BudgetLine b = p.limit();
      if (b != null && b.limit() != null) {
        l.append(Messages.get(b.scope().kind() == BudgetScope.Kind.PROVIDER_DAILY ? "report.dailyShare"
            : "report.totalShare", Math.round(b.usedShare() * 100), b.paused() ? Messages.get("report.paused") : ""));
      }
      sb.append(l).append('\n');
    }
    return sb.toString();
  }

  /** The plan of {@code dry-run}: a table of waves, the totals, budgets, notes and problems. */
  static String plan(Plan plan) {
    StringBuilder sb = new StringBuilder();
    line(sb, "plan.header", plan.workflow(), plan.project());
    List<List<String>> rows = new ArrayList<>();
    int wave = 1;
    for (List<Plan.Step> w : plan.waves()) {
      for (Plan.Step s : w) {
        String title = s.title().isBlank() || s.title().equals(s.taskId()) ? "" : s.title();
        rows.add(List.of(String.valueOf(wave), s.taskId(), Texts.shorten(title, TITLE),
            s.provider() == null ? "-" : s.provider(), amount(s, s.low()), amount(s, s.expected()),
            amount(s, s.high()), Durations.format(s.duration())));
      }
      wave++;
    }
    rows.add(List.of("", Messages.get("plan.total"), "", "", money(plan.low()), money(plan.expected()),
        money(plan.high()), Durations.format(plan.duration())));
    sb.append(Tables.render(List.of(Messages.get("table.wave"), Messages.get("table.task"),
        Messages.get("table.title"), Messages.get("table.provider"), Messages.get("table.low"),
        Messages.get("table.expected"), Messages.get("table.high"), Messages.get("table.time")), rows,
        Set.of(4, 5, 6, 7)));
    for (BudgetLine b : plan.budgets()) {
      line(sb, "plan.budget", BudgetCommand.describe(b.scope()), money(b.spent()),
          b.limit() == null ? Messages.get("report.noLimit") : money(b.limit()));
    }
    boolean chosen = false;
    for (List<Plan.Step> steps : plan.waves()) {
      for (Plan.Step step : steps) {
        if (step.choice() != null) {
          if (!chosen) {
            line(sb, "plan.choices");
            chosen = true;
          }
          sb.append("  - ").append(step.taskId()).append(": ").append(step.choice()).append('\n');
        }
      }
    }
    if (!plan.notes().isEmpty()) {
      line(sb, "plan.notes");
      plan.notes().forEach(n -> sb.append("  - ").append(n).append('\n'));
    }
    if (plan.problems().isEmpty()) {
      line(sb, "plan.noProblems");
    } else {
      line(sb, "plan.problems");
      plan.problems().forEach(p -> sb.append("  - ").append(p).append('\n'));
    }
    return sb.toString();
  }

  private static String amount(Plan.Step s, Money m) {
    return s.bounded() ? money(m) : Messages.get("plan.unknown");
  }

  private static String money(Money m) {
    return MoneyText.format(m);
  }

  private static void line(StringBuilder sb, String key, Object... args) {
    sb.append(Messages.get(key, args)).append('\n');
  }

}
