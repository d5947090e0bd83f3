package dev.orchestrator.dashboard.internal;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetLine;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.budget.CostReport;
import dev.orchestrator.budget.ProviderCost;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Balance;
import dev.orchestrator.spi.store.Ledger;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spi.store.StoreView;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Money as the store has it now, on every request: spent, reserved, the estimated part and overruns from the ledger's
 * accounts (which every engine sharing the store writes), limits from the stored budgets (set by any process, at any
 * time), spending per provider and per day from the finished attempts of the shown projects' runs (the engine's cost
 * report, which reads them from the store), and the forecast from the expected cost of the work still to do.
 *
 * <p>Stateless; thread-safe.
 */
final class CostViews {
  /** A gauge: one account with a limit. */
  record Gauge(String scope, String kind, String name, @Nullable LocalDate day, Money spent, Money reserved,
      Money limit, double share, List<Double> thresholds, boolean paused) {}

  /**
   * The cost section: totals (spent with its measured and estimated parts, overruns and the providers that overran,
   * unpriced calls), the covering limit, the forecast, spending per provider and day, each provider's spend with its
   * own limit, and the gauges.
   */
  record CostView(Instant at, @Nullable String project, Money spent, Money measured, Money estimated, Money reserved,
      @Nullable Money limit, @Nullable Money remaining, Money forecast, boolean forecastWithinBudget, Money overrun,
      List<String> overrunProviders, int unpricedCalls, Map<String, Money> byProvider, Map<String, Money> byDay,
      List<ProviderCost> providers, List<Gauge> gauges) {}

  /** A provider's spending: today (its daily account) and in total. */
  record ProviderSpend(Money today, Money total) {}

  private final Orchestrator orchestrator;
  private final StoreView store;
  private final ZoneId zone;
  private final Supplier<List<String>> projects;

  /**
   * @param projects the projects the dashboard shows, for the totals of everything
   */
  CostViews(Orchestrator orchestrator, Supplier<List<String>> projects) {
    this.orchestrator = orchestrator;
    this.store = orchestrator.store();
    // The engine's budget days follow its clock's zone unless the application set another.
    this.zone = orchestrator.clock().getZone();
    this.projects = projects;
  }

  private LocalDate today() {
    return LocalDate.ofInstant(orchestrator.clock().instant(), zone);
  }

  ProviderSpend providerSpend(String provider) {
    StoreView ledger = store;
    return new ProviderSpend(
        Money.usd(ledger.balance(new Account(BudgetScope.providerDaily(provider), today())).spent()),
        Money.usd(ledger.balance(new Account(BudgetScope.provider(provider), null)).spent()));
  }

  /** The cost view of one project, or of everything when {@code project} is null. */
  CostView cost(@Nullable String project) {
    StoreView ledger = store;
    List<Budget> budgets = store.budgets();
    BudgetScope covering = project == null ? BudgetScope.global() : BudgetScope.project(project);
    Balance total = ledger.balance(new Account(covering, null));
    Money spent = Money.usd(total.spent());
    Money reserved = Money.usd(total.reserved());
    Money limit = null;
    List<Gauge> gauges = new ArrayList<>();
    LocalDate today = today();
    for (Budget b : budgets) {
      BudgetScope s = b.scope();
      if (s.equals(covering)) {
        limit = b.limit();
      }
      boolean shown = switch (s.kind()) {
        case GLOBAL -> project == null;
        case PROJECT -> project == null || s.name().equals(project);
        case PROVIDER, PROVIDER_DAILY -> true;
        case RUN, TASK -> false;
      };
      if (!shown) {
        continue;
      }
      LocalDate day = s.kind() == BudgetScope.Kind.PROVIDER_DAILY ? today : null;
      Balance bal = ledger.balance(new Account(s, day));
      BudgetLine line = BudgetLine.builder().scope(s).day(day).spent(Money.usd(bal.spent()))
          .reserved(Money.usd(bal.reserved())).limit(b.limit()).build();
      boolean reached = line.spent().plus(line.reserved()).compareTo(b.limit()) >= 0;
      gauges.add(new Gauge(s.toString(), s.kind().name(), s.name(), day, line.spent(), line.reserved(), b.limit(),
          line.usedShare(), b.thresholds(), reached));
    }
    gauges.sort(java.util.Comparator.comparing(Gauge::kind).thenComparing(Gauge::name));
    // Spending per provider and day of the projects shown (a dashboard limited to some projects shows no other's),
    // and the forecast of the work still to do: the engine's report, which reads both from the store.
    CostReport engine = project == null ? orchestrator.costReport() : orchestrator.costReport(project);
    Map<String, Money> byProvider = new TreeMap<>(engine.byProvider());
    Map<String, Money> byDay = new TreeMap<>(engine.byDay());
    List<ProviderCost> providers = engine.providers();
    int unpriced = engine.unpricedCalls();
    if (project == null) {
      byProvider.clear();
      byDay.clear();
      unpriced = 0;
      Map<String, ProviderCost> merged = new TreeMap<>();
      for (String p : projects.get()) {
        CostReport r = orchestrator.costReport(p);
        r.byProvider().forEach((k, v) -> byProvider.merge(k, v, Money::plus));
        r.byDay().forEach((k, v) -> byDay.merge(k, v, Money::plus));
        unpriced += r.unpricedCalls();
        for (ProviderCost c : r.providers()) {
          merged.merge(c.provider(), c, (a, b) -> a.toBuilder().spent(a.spent().plus(b.spent()))
              .estimated(a.estimated().plus(b.estimated())).unpricedCalls(a.unpricedCalls() + b.unpricedCalls())
              .build());
        }
      }
      providers = new ArrayList<>(merged.values());
    }
    Money remainingWork = engine.forecast().minus(engine.spent()).minus(engine.reserved());
    if (remainingWork.isNegative()) {
      remainingWork = Money.ZERO;
    }
    Money forecast = spent.plus(reserved).plus(remainingWork);
    Money remaining = null;
    if (limit != null) {
      Money left = limit.minus(spent).minus(reserved);
      remaining = left.isNegative() ? Money.ZERO : left;
    }
    Money estimated = Money.usd(total.estimated());
    List<String> overrunProviders = providers.stream().filter(c -> !c.overrun().isZero()).map(ProviderCost::provider)
        .toList();
    return new CostView(orchestrator.clock().instant(), project, spent, spent.minus(estimated), estimated, reserved,
        limit, remaining, forecast, limit == null || forecast.compareTo(limit) <= 0, Money.usd(total.overrun()),
        overrunProviders, unpriced, byProvider, byDay, providers, gauges);
  }
}
