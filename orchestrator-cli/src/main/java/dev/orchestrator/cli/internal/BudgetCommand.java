package dev.orchestrator.cli.internal;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.CostReport;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code budget set | report}. */
@Command(name = "budget", mixinStandardHelpOptions = true,
    subcommands = {BudgetCommand.Set.class, BudgetCommand.Report.class})
final class BudgetCommand extends CliCommand {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.@Nullable CommandSpec spec;

  BudgetCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(java.util.Objects.requireNonNull(spec).commandLine(),
        Messages.get("subcommand.missing", "set, report"));
  }

  /** {@code budget set --project X --limit 100} and {@code budget set --provider claude --daily-limit 20}. */
  @Command(name = "set", mixinStandardHelpOptions = true)
  static final class Set extends CliCommand {
    @Option(names = {"--provider", "--ai"}, paramLabel = "<instance>", descriptionKey = "opt.budgetProvider")
    @Nullable String provider;

    @Option(names = "--global", descriptionKey = "opt.budgetGlobal")
    boolean global;

    @Option(names = "--limit", paramLabel = "<amount>", descriptionKey = "opt.limit")
    @Nullable String limit;

    @Option(names = "--daily-limit", paramLabel = "<amount>", descriptionKey = "opt.dailyLimit")
    @Nullable String dailyLimit;

    @Option(names = "--yes", descriptionKey = "opt.budgetYes")
    boolean yes;

    Set(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      if ((limit == null) == (dailyLimit == null)) {
        throw CliException.of(ExitCodes.USAGE, "budget.oneAmount");
      }
      if (provider != null && global) {
        throw CliException.of(ExitCodes.USAGE, "budget.oneScope");
      }
      if (dailyLimit != null && provider == null) {
        throw CliException.of(ExitCodes.USAGE, "budget.dailyNeedsProvider");
      }
      String option = limit != null ? "--limit" : "--daily-limit";
      String amountText = limit != null ? limit : dailyLimit;
      Money amount = Amounts.parse(option, amountText);
      BudgetScope scope;
      if (provider != null) {
        String p = provider.trim().toLowerCase(Locale.ROOT);
        if (!cli.config().instances().containsKey(p)) {
          throw CliException.of(ExitCodes.NOT_FOUND, "provider.unknown", provider,
              String.join(", ", cli.config().instances().keySet()), cli.configFile());
        }
        scope = dailyLimit != null ? BudgetScope.providerDaily(p) : BudgetScope.provider(p);
      } else if (global) {
        scope = BudgetScope.global();
      } else {
        scope = BudgetScope.project(cli.project()); // --project is the global option
      }
      if (amount.isZero() && !yes) {
        throw CliException.of(ExitCodes.USAGE, "budget.zero", option, describe(scope));
      }
      Budget budget;
      try {
        budget = Budget.of(scope, amount);
      } catch (IllegalArgumentException e) {
        throw CliException.wrap(e, ExitCodes.USAGE, "budget.amount", option, amountText);
      }
      cli.store().saveBudget(budget);
      if (cli.json()) {
        cli.printJson(budget);
      } else {
        cli.say("budget.saved", describe(scope), MoneyText.format(amount));
      }
      return ExitCodes.OK;
    }
  }

  static String describe(BudgetScope scope) {
    return switch (scope.kind()) {
      case GLOBAL -> Messages.get("scope.global");
      case PROJECT -> Messages.get("scope.project", scope.name());
      case PROVIDER -> Messages.get("scope.provider", scope.name());
      case PROVIDER_DAILY -> Messages.get("scope.providerDaily", scope.name());
      case RUN -> Messages.get("scope.run", scope.name());
      case TASK -> Messages.get("scope.task", scope.name());
    };
  }

  /** {@code budget report}: the roadmap's report, for the current project or everything. */
  @Command(name = "report", mixinStandardHelpOptions = true)
  static final class Report extends CliCommand {
    @Option(names = "--all", descriptionKey = "opt.allProjects")
    boolean all;

    Report(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      CostReport report = all ? cli.observer().costReport() : cli.observer().costReport(cli.project());
      if (cli.json()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("report", report);
        json.put("measured", report.measured());
        json.put("overrunProviders", report.overrunProviders());
        json.put("simulated", cli.simulatedNames());
        cli.printJson(json);
      } else {
        cli.say(all ? "budget.reportAll" : "budget.reportProject", cli.project());
        cli.out().print(ReportText.costReport(report));
        cli.out().println(cli.simulationLine());
      }
      return ExitCodes.OK;
    }
  }


  /**
   * Amounts typed on the command line. An unquoted {@code $} makes the shell expand a positional parameter:
   * {@code $100} arrives as {@code 00}, {@code $5} as nothing and {@code $1.50} as {@code .50}, so an amount that
   * shows those marks is refused rather than saved as a different limit.
   */
  static final class Amounts {
    /** A number with a three-letter currency code before or after it, or a currency sign other than $. */
    private static final java.util.regex.Pattern FOREIGN = java.util.regex.Pattern.compile(
        "(?i)(?!.*usd)([-+]?[\\d.,]+\\s*[a-z]{3}|[a-z]{3}\\s*[-+]?[\\d.,]+|.*[\u20ac\u00a3\u00a5\u20b9].*)");

    private Amounts() {}

    static Money parse(String option, String text) {
      String t = text.trim();
      if (t.isEmpty() || t.startsWith(".") || t.matches("0\\d.*")) {
        throw CliException.of(ExitCodes.USAGE, "budget.mangled", option, text);
      }
      if (FOREIGN.matcher(t).matches()) {
        throw CliException.of(ExitCodes.USAGE, "budget.currency", option, text);
      }
      try {
        return Money.parse(t);
      } catch (IllegalArgumentException e) {
        throw CliException.wrap(e, ExitCodes.USAGE, "budget.amount", option, text);
      }
    }
  }
}
