package dev.orchestrator.core.internal;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetLine;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.CostReport;
import dev.orchestrator.budget.ProviderCost;
import dev.orchestrator.project.Project;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Balance;
import dev.orchestrator.spi.store.Ledger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The cost report, read from the store so that every process sharing it reports the same: totals, the estimated part
 * and overruns from the ledger's accounts, spending per provider, task type and day from the finished attempts of the
 * project's runs, and the forecast from the expected cost of their tasks still to run.
 *
 * <p>Thread-safe: only the set of limits that this engine saw stop work is read in the drain loop.
 */
final class CostReports {
  private final EngineContext ctx;
  private final Budgets budgets;
  private final StoredSpending spending;

  CostReports(EngineContext ctx, Budgets budgets, Providers providers) {
    this.ctx = ctx;
    this.budgets = budgets;
    this.spending = new StoredSpending(ctx.store, budgets.zone(), providers);
  }

  /** The cost report of one project, or of everything when {@code project} is null. */
  CostReport report(@Nullable String project) {
    Instant now = ctx.now();
    LocalDate today = LocalDate.ofInstant(now, budgets.zone());
    Set<Account> stopping = ctx.call(budgets::limitsReached);
    Ledger ledger = ctx.store.ledger();
    BudgetScope covering = project == null ? BudgetScope.global() : BudgetScope.project(project);
    Balance total = ledger.balance(new Account(covering, null));
    Budget limit = budgets.limit(covering);

    List<String> projects = project != null ? List.of(project)
        : ctx.store.projectList(true).stream().map(Project::name).toList();
    StoredSpending.Totals totals = spending.of(projects);
    Map<String, Money> byProvider = new TreeMap<>();
    Map<String, Money> byType = new TreeMap<>();
    Map<String, Money> byDay = new TreeMap<>();
    Map<String, StoredSpending.Sum> perProvider = new TreeMap<>();
    int unpriced = 0;
    for (Map.Entry<StoredSpending.Key, StoredSpending.Sum> e : totals.sums().entrySet()) {
      StoredSpending.Key k = e.getKey();
      StoredSpending.Sum s = e.getValue();
      unpriced += s.unpriced();
      perProvider.merge(k.provider(), s, StoredSpending.Sum::plus);
      if (s.spent().signum() != 0) {
        Money m = Money.usd(s.spent());
        byProvider.merge(k.provider(), m, Money::plus);
        byType.merge(k.taskType(), m, Money::plus);
        byDay.merge(k.day().toString(), m, Money::plus);
      }
    }

    List<BudgetLine> lines = lines(ledger, today, stopping, k -> switch (k.scope().kind()) {
      case GLOBAL -> project == null;
      case PROJECT -> project == null || k.scope().name().equals(project);
      case PROVIDER -> true;
      case PROVIDER_DAILY -> today.equals(k.day());
      case RUN, TASK -> false;
    });
    List<ProviderCost> providerCosts = providerCosts(ledger, perProvider, lines);
    Money spent = Money.usd(total.spent());
    Money reserved = Money.usd(total.reserved());
    return CostReport.builder().at(now).project(project).spent(spent).reserved(reserved)
        .limit(limit == null ? null : limit.limit())
        .forecast(spent.plus(reserved).plus(Money.usd(totals.remainingWork()))).byProvider(byProvider)
        .byTaskType(byType).byDay(byDay).lines(lines).estimated(Money.usd(total.estimated()))
        .overrun(Money.usd(total.overrun())).providers(providerCosts).unpricedCalls(unpriced).build();
  }

  /**
   * Every account with spending or a stored limit that {@code include} accepts, sorted by scope. A limit stops work
   * when this engine saw it refuse a call, or when spent and reserved have reached it (then any paid call is refused,
   * whichever process would make it).
   */
  private List<BudgetLine> lines(Ledger ledger, LocalDate today, Set<Account> stopping, Predicate<Account> include) {
    Map<Account, Balance> balances = new LinkedHashMap<>();
    for (Balance b : ledger.balances()) {
      balances.put(b.account(), b);
    }
    for (Budget b : budgets.budgets()) {
      BudgetScope s = b.scope();
      Account a = new Account(s, s.kind() == BudgetScope.Kind.PROVIDER_DAILY ? today : null);
      balances.computeIfAbsent(a, k -> Balance.builder(k).build());
    }
    List<BudgetLine> out = new ArrayList<>();
    for (Balance b : balances.values()) {
      Account k = b.account();
      if (!include.test(k)) {
        continue;
      }
      Budget limit = budgets.limit(k.scope());
      boolean paused = limit != null && (stopping.contains(k)
          || b.spent().add(b.reserved()).compareTo(limit.limit().amount()) >= 0);
      out.add(BudgetLine.builder().scope(k.scope()).day(k.day()).spent(Money.usd(b.spent()))
          .reserved(Money.usd(b.reserved())).limit(limit == null ? null : limit.limit()).paused(paused)
          .estimated(Money.usd(b.estimated())).overrun(Money.usd(b.overrun())).build());
    }
    out.sort(Comparator.comparing((BudgetLine l) -> l.scope().kind())
        .thenComparing(l -> l.scope().name()).thenComparing(l -> String.valueOf(l.day())));
    return out;
  }

  /**
   * One entry per provider the report's calls used or that has a limit: what the calls cost on it, its overrun (from
   * its account, shared by every project) and its limited line (the one that holds work back, else the daily one).
   */
  private static List<ProviderCost> providerCosts(Ledger ledger, Map<String, StoredSpending.Sum> perProvider,
      List<BudgetLine> lines) {
    Map<String, BudgetLine> limited = new HashMap<>();
    Set<String> names = new TreeSet<>(perProvider.keySet());
    for (BudgetLine line : lines) {
      BudgetScope.Kind kind = line.scope().kind();
      if ((kind == BudgetScope.Kind.PROVIDER || kind == BudgetScope.Kind.PROVIDER_DAILY) && line.limit() != null) {
        names.add(line.scope().name());
        limited.merge(line.scope().name(), line, (a, b) -> rank(b) > rank(a) ? b : a);
      }
    }
    List<ProviderCost> out = new ArrayList<>(names.size());
    for (String name : names) {
      StoredSpending.Sum s = perProvider.getOrDefault(name, StoredSpending.Sum.ZERO);
      Balance account = ledger.balance(new Account(BudgetScope.provider(name), null));
      out.add(ProviderCost.builder().provider(name).spent(Money.usd(s.spent())).estimated(Money.usd(s.estimated()))
          .unpricedCalls(s.unpriced()).overrun(Money.usd(account.overrun())).limit(limited.get(name)).build());
    }
    return out;
  }

  private static int rank(BudgetLine l) {
    return (l.paused() ? 2 : 0) + (l.scope().kind() == BudgetScope.Kind.PROVIDER_DAILY ? 1 : 0);
  }
}
