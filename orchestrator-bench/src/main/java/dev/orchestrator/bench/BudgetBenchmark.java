package dev.orchestrator.bench;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.internal.BudgetLedger;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reservation plus settlement under contention: 8 threads reserve a call's worst case on the six accounts a call
 * touches (global, project, provider, provider today, run, task) and settle its real cost, all under limits that
 * never refuse, beside an {@link AtomicLong} add as the baseline. It measures the engine's budget ledger directly
 * (an internal class): in the engine the same work happens once per provider call.
 *
 * <pre>java -jar orchestrator-bench/target/benchmarks.jar BudgetBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(8)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BudgetBenchmark {
  private final BudgetLedger ledger = new BudgetLedger();
  private final AtomicLong counter = new AtomicLong();
  private List<BudgetLedger.Key> keys;
  private final BigDecimal worst = new BigDecimal("0.0125");
  private final BigDecimal actual = new BigDecimal("0.0042");

  @Setup
  public void setUp() {
    LocalDate today = LocalDate.of(2026, 11, 26);
    keys = List.of(new BudgetLedger.Key(BudgetScope.global(), null),
        new BudgetLedger.Key(BudgetScope.project("bench"), null),
        new BudgetLedger.Key(BudgetScope.provider("claude"), null),
        new BudgetLedger.Key(BudgetScope.providerDaily("claude"), today),
        new BudgetLedger.Key(BudgetScope.run("run-1"), null),
        new BudgetLedger.Key(BudgetScope.task("run-1", "task-1"), null));
    for (BudgetLedger.Key k : keys) {
      ledger.setLimit(Budget.of(k.scope(), Money.usd("1000000000")));
    }
  }

  /** One reservation and its settlement; one operation each. */
  @Benchmark
  public Object reserveAndSettle() {
    Object breach = ledger.reserve(keys, worst, null);
    return breach != null ? breach : ledger.settle(keys, worst, actual);
  }

  /** The baseline: one contended atomic add. */
  @Benchmark
  public long atomicLongAdd() {
    return counter.addAndGet(42);
  }
}
