package dev.orchestrator.cli.internal;

import dev.orchestrator.core.learn.LearningReport;
import dev.orchestrator.learn.Demotion;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code learn report}: what the outcomes so far say about each provider on each task type. */
@Command(name = "learn", mixinStandardHelpOptions = true, subcommands = {LearnCommand.Report.class})
final class LearnCommand extends CliCommand {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.@Nullable CommandSpec spec;

  LearnCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(java.util.Objects.requireNonNull(spec).commandLine(),
        Messages.get("subcommand.missing", "report"));
  }

  /** {@code learn report [--all] [--json]}: the roadmap's {@code ai_performance} and recommendations. */
  @Command(name = "report", mixinStandardHelpOptions = true)
  static final class Report extends CliCommand {
    @Option(names = "--all", descriptionKey = "opt.allProjects")
    boolean all;

    Report(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      String project = all ? null : cli.project(); // --project is the global option
      LearningReport report = LearningReport.fromStore(cli.store(), project, Instant.now());
      if (cli.json()) {
        cli.printJson(json(report, cli.simulatedNames()));
        return ExitCodes.OK;
      }
      if (report.isEmpty()) {
        cli.say(all ? "learn.emptyAll" : "learn.emptyProject", project);
        return ExitCodes.OK;
      }
      cli.say(all ? "learn.reportAll" : "learn.reportProject", project);
      cli.out().print(table(report));
      List<LearningReport.Figures> demoted = report.figures().stream().filter(LearningReport.Figures::demoted)
          .toList();
      if (!demoted.isEmpty()) {
        cli.out().println();
        cli.say("learn.demoted");
        for (LearningReport.Figures f : demoted) {
          cli.out().println("- " + java.util.Objects.requireNonNull(f.demotion()).evidence());
        }
      }
      if (!report.shadows().isEmpty()) {
        cli.out().println();
        cli.say("learn.shadows");
        cli.out().print(shadowTable(report));
      }
      cli.out().println();
      cli.say("learn.recommendations");
      for (String r : report.recommendations()) {
        cli.out().println("- " + r);
      }
      cli.out().println(cli.simulationLine());
      return ExitCodes.OK;
    }
  }

  /** The table: one row per provider and task type, counts and amounts right-aligned. */
  static String table(LearningReport report) {
    List<List<String>> rows = new ArrayList<>();
    for (LearningReport.Figures f : report.figures()) {
      rows.add(List.of(f.provider(), f.taskType(), Long.toString(f.samples()), percent(f.firstTrySuccessRate()),
          percent(f.successRate()), count(f.failovers()),
          f.reviewScoreMean() == null ? "-" : String.format(Locale.ROOT, "%.1f", f.reviewScoreMean()),
          count(f.guardViolations()), duration(f.latencyP50()), duration(f.latencyP95()),
          Long.toString(Math.round(f.tokens())),
          f.costPerSuccess() == null ? "-" : MoneyText.format(f.costPerSuccess()),
          f.demoted() ? Messages.get("learn.yes") : "-"));
    }
    List<String> header = List.of("PROVIDER", "TYPE", "ATTEMPTS", "FIRST TRY", "SUCCESS", "FAILOVERS", "REVIEW",
        "GUARDS", "P50", "P95", "TOKENS", "COST/SUCCESS", "DEMOTED");
    return Tables.render(header, rows, Set.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
  }

  /** Shadow evaluation's table: one row per challenger and task type. */
  static String shadowTable(LearningReport report) {
    List<List<String>> rows = new ArrayList<>();
    for (LearningReport.Shadow sh : report.shadows()) {
      rows.add(List.of(sh.challenger(), sh.taskType(), Long.toString(sh.comparisons()), Long.toString(sh.wins()),
          MoneyText.format(sh.cost()), sh.promotion() == null ? "-" : Messages.get("learn.yes")));
    }
    return Tables.render(List.of("CHALLENGER", "TYPE", "COMPARED", "WON", "COST", "PROMOTED"), rows,
        Set.of(2, 3, 4));
  }

  /**
   * The roadmap's shape: {@code ai_performance} by provider and type with {@code success_rate}, {@code avg_time}
   * (the median call time) and {@code cost} (per success) first, the other figures after them; then the
   * recommendations.
   */
  static Map<String, Object> json(LearningReport report, List<String> simulated) {
    Map<String, Object> performance = new LinkedHashMap<>();
    for (LearningReport.Figures f : report.figures()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> byType = (Map<String, Object>) performance.computeIfAbsent(f.provider(),
          k -> new LinkedHashMap<String, Object>());
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("success_rate", round(f.successRate(), 2));
      e.put("avg_time", f.latencyP50() == null ? null : Durations.format(f.latencyP50()));
      e.put("cost", f.costPerSuccess() == null ? null : MoneyText.format(f.costPerSuccess()));
      e.put("samples", f.samples());
      e.put("attempts", round(f.attempts(), 2));
      e.put("first_try_success_rate", round(f.firstTrySuccessRate(), 2));
      e.put("failovers", round(f.failovers(), 2));
      e.put("review_score_mean", f.reviewScoreMean() == null ? null : round(f.reviewScoreMean(), 2));
      e.put("guard_violations", round(f.guardViolations(), 2));
      e.put("latency_p50", f.latencyP50() == null ? null : Durations.format(f.latencyP50()));
      e.put("latency_p95", f.latencyP95() == null ? null : Durations.format(f.latencyP95()));
      e.put("tokens", round(f.tokens(), 0));
      e.put("cost_per_success_usd", f.costPerSuccess() == null ? null : plain(f.costPerSuccess().amount()));
      e.put("total_cost_usd", plain(f.cost().amount()));
      e.put("quality", round(f.quality(), 2));
      e.put("demoted", f.demoted());
      Demotion d = f.demotion();
      if (d != null) {
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("failures", d.failures());
        dm.put("sample", d.sample());
        dm.put("since", d.since().toString());
        dm.put("retry_at", d.retryAt().toString());
        dm.put("evidence", d.evidence());
        e.put("demotion", dm);
      }
      byType.put(f.taskType(), e);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("ai_performance", performance);
    json.put("recommendations", report.recommendations());
    List<Map<String, Object>> shadows = new ArrayList<>();
    for (LearningReport.Shadow sh : report.shadows()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("challenger", sh.challenger());
      e.put("task_type", sh.taskType());
      e.put("comparisons", sh.comparisons());
      e.put("challenger_wins", sh.wins());
      e.put("cost_usd", sh.cost().amount().stripTrailingZeros().toPlainString());
      e.put("promoted", sh.promotion() != null);
      e.put("promotion", sh.promotion());
      shadows.add(e);
    }
    json.put("shadow_evaluation", shadows);
    json.put("project", report.project());
    json.put("min_samples", report.minSamples());
    json.put("simulated", simulated);
    return json;
  }

  private static double round(double v, int places) {
    return BigDecimal.valueOf(v).setScale(places, RoundingMode.HALF_UP).doubleValue();
  }

  /** Six significant digits: weighted sums of exact amounts carry more digits than anyone reads. */
  private static String plain(BigDecimal amount) {
    return amount.round(new java.math.MathContext(6, RoundingMode.HALF_UP)).stripTrailingZeros().toPlainString();
  }

  private static String percent(double share) {
    return Math.round(share * 100) + "%";
  }

  /** A weighted count: whole when it is, one decimal otherwise (recent outcomes weigh more than old ones). */
  private static String count(double n) {
    String one = String.format(Locale.ROOT, "%.1f", n);
    return one.endsWith(".0") ? one.substring(0, one.length() - 2) : one;
  }

  private static String duration(@Nullable Duration d) {
    return d == null ? "-" : Durations.format(d);
  }
}
