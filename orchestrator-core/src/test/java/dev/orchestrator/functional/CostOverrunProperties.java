package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.CostOverrunEvent;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A hard limit holds whatever the providers' estimates are worth: spending beyond it is only what calls that cost
 * more than they reserved reported as overruns, and a call whose cost cannot be bounded is never made under it.
 */
class CostOverrunProperties {
  /** How good a provider's estimate is. */
  enum Honesty {
    /** The worst case is a true bound. */
    HONEST,
    /** The call costs four times its worst case. */
    FOUR_TIMES_LOW,
    /** The estimate says the call is free; it is not. */
    ZERO,
    /** The estimate throws. */
    THROWING
  }

  /** A call made and not yet ended: the test ends it, at {@code actual}. */
  record Held(CompletableFuture<ProviderResponse> future, BigDecimal actual) {
    void end() {
      future.complete(ProviderResponse.builder().text("ok").usage(TokenUsage.of(1, 1)).model("m")
          .cost(Money.usd(actual)).build());
    }
  }

  /** Prompts read {@code high actual}; calls end when the test says. */
  static final class HeldProvider implements AiProvider {
    private final String name;
    private final Honesty honesty;
    private final List<Held> held;

    HeldProvider(Honesty honesty, List<Held> held) {
      this.name = honesty.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      this.honesty = honesty;
      this.held = held;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String type() {
      return "held";
    }

    @Override
    public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
      CompletableFuture<ProviderResponse> f = new CompletableFuture<>();
      held.add(new Held(f, new BigDecimal(request.prompt().split(" ")[1])));
      return f;
    }

    @Override
    public CostEstimate estimate(ProviderRequest request) {
      Money high = switch (honesty) {
        case HONEST, FOUR_TIMES_LOW -> Money.usd(request.prompt().split(" ")[0]);
        case ZERO -> Money.ZERO;
        case THROWING -> throw new IllegalStateException("no tokenizer for this model");
      };
      return CostEstimate.of(TokenUsage.NONE, Money.ZERO, high, high, Duration.ZERO);
    }
  }

  /** Ends held calls in a random order until none is left, running what the engine scheduled meanwhile. */
  private static void endAll(Harness h, List<Held> held, long seed) {
    Random order = new Random(seed);
    while (true) {
      while (!held.isEmpty()) {
        held.remove(order.nextInt(held.size())).end();
      }
      h.scheduler.runUntilIdle(Duration.ofHours(1));
      if (held.isEmpty()) {
        return;
      }
    }
  }

  /** What a call on a provider of {@code honesty} with worst case {@code high} really costs. */
  private static BigDecimal actual(Honesty honesty, BigDecimal high, int sharePercent) {
    return switch (honesty) {
      case HONEST -> high.multiply(BigDecimal.valueOf(sharePercent, 2));
      case FOUR_TIMES_LOW -> high.multiply(BigDecimal.valueOf(4));
      case ZERO, THROWING -> high;
    };
  }

  @Property(tries = 60)
  void spendingBeyondTheLimitIsOnlyWhatOverrunsReported(
      @ForAll @Size(min = 1, max = 160) List<Honesty> kinds,
      @ForAll @Size(min = 160, max = 160) List<@IntRange(min = 1, max = 100) Integer> highCents,
      @ForAll @Size(min = 160, max = 160) List<@IntRange(min = 0, max = 100) Integer> shares,
      @ForAll @IntRange(min = 50, max = 2000) int limitCents,
      @ForAll long seed) {
    Harness h = new Harness();
    List<Held> held = new ArrayList<>();
    BigDecimal limit = BigDecimal.valueOf(limitCents, 2);
    Orchestrator.Builder b = h.builder().budget(Budget.of(BudgetScope.project("p"), Money.usd(limit)));
    for (Honesty k : Honesty.values()) {
      b.provider(new HeldProvider(k, held), 16); // 64 calls in flight at once, at most
    }
    try (Orchestrator o = b.build()) {
      Workflow.Builder w = Workflow.builder("w");
      for (int i = 0; i < kinds.size(); i++) {
        Honesty k = kinds.get(i);
        BigDecimal high = BigDecimal.valueOf(highCents.get(i), 2);
        String prompt = high.toPlainString() + " " + actual(k, high, shares.get(i)).toPlainString();
        String provider = new HeldProvider(k, held).name();
        w.task("t" + i, t -> t.instructions(prompt).provider(provider));
      }
      Run run = o.submit("p", w.build());
      endAll(h, held, seed);

      BigDecimal spent = BigDecimal.ZERO;
      BigDecimal overruns = BigDecimal.ZERO;
      for (Event e : h.events.events()) {
        if (e instanceof CostOverrunEvent over) {
          assertThat(over.actual()).isGreaterThan(over.reserved());
          overruns = overruns.add(over.actual().amount().subtract(over.reserved().amount()));
        } else if (e instanceof TaskSucceededEvent s) {
          spent = spent.add(s.cost().amount());
          assertThat(spent).as("spent so far, within the limit and the overruns reported")
              .isLessThanOrEqualTo(limit.add(overruns));
        }
      }
      assertThat(o.costReport("p").spent().amount()).isEqualByComparingTo(spent);
      assertThat(o.costReport("p").reserved().isZero()).as("nothing in flight, nothing reserved").isTrue();
      for (TaskRecord t : run.snapshot().tasks()) {
        if (kinds.get(Integer.parseInt(t.taskId().substring(1))) == Honesty.THROWING) {
          assertThat(t.state()).as(t.taskId()).isEqualTo(TaskState.FAILED);
          assertThat(t.errorKind()).as(t.taskId()).isEqualTo(ErrorKind.BUDGET);
          assertThat(t.attempts()).as("%s was never called", t.taskId()).isEmpty();
          assertThat(t.cost().isZero()).isTrue();
        } else {
          assertThat(t.state()).as(t.taskId()).isIn(TaskState.SUCCEEDED, TaskState.PAUSED);
        }
      }
    }
  }

  @Property(tries = 25)
  void honestEstimatesSpendAtLeast95PercentOfTheLimitBeforeTheProjectPauses(
      @ForAll @Size(min = 300, max = 300) List<@IntRange(min = 50, max = 100) Integer> highBasisPoints,
      @ForAll @Size(min = 300, max = 300) List<@IntRange(min = 80, max = 100) Integer> shares,
      @ForAll @IntRange(min = 500, max = 5000) int limitCents,
      @ForAll long seed) {
    Harness h = new Harness();
    List<Held> held = new ArrayList<>();
    BigDecimal limit = BigDecimal.valueOf(limitCents, 2);
    try (Orchestrator o = h.builder().provider(new HeldProvider(Honesty.HONEST, held), 64)
        .budget(Budget.of(BudgetScope.project("p"), Money.usd(limit))).build()) {
      Workflow.Builder w = Workflow.builder("w");
      for (int i = 0; i < highBasisPoints.size(); i++) {
        // Each call's worst case is 0.5% to 1% of the limit and it costs at least 80% of that: 300 calls cost more
        // than the limit.
        BigDecimal high = limit.multiply(BigDecimal.valueOf(highBasisPoints.get(i), 4));
        String prompt = high.toPlainString() + " " + actual(Honesty.HONEST, high, shares.get(i)).toPlainString();
        w.task("t" + i, t -> t.instructions(prompt));
      }
      Run run = o.submit("p", w.build());
      endAll(h, held, seed);

      BigDecimal spent = o.costReport("p").spent().amount();
      assertThat(h.events.events(CostOverrunEvent.class)).isEmpty();
      assertThat(spent).isLessThanOrEqualTo(limit);
      assertThat(run.snapshot().tasks().stream().filter(t -> t.state() == TaskState.PAUSED).count())
          .as("tasks the project's limit holds back").isPositive();
      assertThat(spent).as("spent before the project paused").isGreaterThanOrEqualTo(
          limit.multiply(new BigDecimal("0.95")));
    }
  }
}
