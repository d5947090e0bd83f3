package dev.orchestrator.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.Money;
import dev.orchestrator.Scheduler;
import dev.orchestrator.learn.Assignment;
import dev.orchestrator.learn.Choice;
import dev.orchestrator.learn.Demotion;
import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.learn.LearningStrategyFactory;
import dev.orchestrator.learn.OutcomeStatistics;
import dev.orchestrator.learn.ProviderStats;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The suite every {@link LearningStrategy} passes. Implement {@link #createStrategy(long)}; give
 * {@link #factoryName()} to check that the strategy is discovered.
 */
public abstract class LearningStrategyContract {
  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
  private static final List<String> PROVIDERS = List.of("claude", "chatgpt", "gemini", "local", "mistral");
  private static final List<String> TYPES = List.of("code_generation", "content_review", "general");

  /** The strategy under test, drawing its random numbers (if any) from {@code seed}. */
  protected abstract LearningStrategy createStrategy(long seed);

  /** The name its factory is discovered under, or null to skip the discovery checks. */
  protected @Nullable String factoryName() {
    return null;
  }

  /** Random but well-formed statistics over the providers and types, some demoted, some for other providers. */
  protected static OutcomeStatistics randomStatistics(Random r) {
    OutcomeStatistics.Builder b = OutcomeStatistics.builder().lastSequence(r.nextInt(1000));
    for (String p : PROVIDERS) {
      for (String t : TYPES) {
        if (r.nextInt(4) == 0) {
          continue;
        }
        double ok = r.nextInt(40);
        double bad = r.nextInt(40);
        ProviderStats.Builder s = ProviderStats.builder(p, t).samples((long) (ok + bad + r.nextInt(3)))
            .attempts(ok + bad).firstTrySuccesses(ok * 0.8).retrySuccesses(ok * 0.2).failures(bad)
            .cost(Money.usd(BigDecimal.valueOf(r.nextInt(1000), 4).multiply(BigDecimal.valueOf(ok))));
        if (r.nextBoolean()) {
          s.reviewScore(r.nextInt(11), r.nextInt(10)).reviewScore(r.nextInt(11), r.nextInt(10));
        }
        b.add(s.build());
        if (r.nextInt(6) == 0) {
          b.demotion(Demotion.builder(p, t).since(NOW.minus(Duration.ofMinutes(5)))
              .retryAt(NOW.plus(Duration.ofMinutes(r.nextBoolean() ? 30 : -2))).failures(7).sample(10)
              .evidence(p + " failed 7 of its last 10 " + t + " attempts").build());
        }
      }
    }
    return b.build();
  }

  /** A random assignment: one to five distinct candidates, maybe one nobody has figures for, maybe a budget. */
  protected static Assignment randomAssignment(Random r, OutcomeStatistics stats) {
    List<String> pool = new ArrayList<>(PROVIDERS);
    pool.add("newcomer");
    java.util.Collections.shuffle(pool, r);
    List<String> candidates = pool.subList(0, 1 + r.nextInt(pool.size()));
    return Assignment.builder("task-" + r.nextInt(100), TYPES.get(r.nextInt(TYPES.size()))).project("contract")
        .candidates(candidates).statistics(stats).at(NOW)
        .remainingBudget(r.nextBoolean() ? null : Money.usd(BigDecimal.valueOf(r.nextInt(50), 3)))
        .build();
  }

  private static void assertWithin(Choice c, Assignment a) {
    assertThat(a.candidates()).as("the chosen provider is a candidate: %s for %s", c, a).contains(c.provider());
    assertThat(a.candidates()).as("failover lists only candidates").containsAll(c.failover());
    assertThat(c.reason()).isNotBlank();
  }

  /** What it chooses. */
  @Nested
  class Choices {
    @Test
    void choosesACandidateWithNoStatisticsAtAll() {
      LearningStrategy s = createStrategy(1);
      Assignment a = Assignment.builder("t1", "general").candidates(List.of("claude", "chatgpt"))
          .statistics(OutcomeStatistics.empty()).at(NOW).build();
      Choice c = s.choose(a);
      assertWithin(c, a);
    }

    @Test
    void choosesTheOnlyCandidate() {
      Random r = new Random(3);
      LearningStrategy s = createStrategy(3);
      for (int i = 0; i < 20; i++) {
        Assignment a = Assignment.builder("t" + i, "code_generation").candidates(List.of("local"))
            .statistics(randomStatistics(r)).at(NOW).build();
        assertThat(s.choose(a).provider()).isEqualTo("local");
      }
    }

    @Test
    void neverChoosesAProviderThatIsNotACandidate() {
      Random r = new Random(7);
      LearningStrategy s = createStrategy(7);
      for (int i = 0; i < 300; i++) {
        Assignment a = randomAssignment(r, randomStatistics(r));
        assertWithin(s.choose(a), a);
      }
    }

    @Test
    void stillChoosesWhenEveryCandidateIsDemoted() {
      OutcomeStatistics.Builder b = OutcomeStatistics.builder();
      for (String p : List.of("claude", "chatgpt")) {
        b.add(ProviderStats.builder(p, "general").samples(20).attempts(20).failures(18).firstTrySuccesses(2).build());
        b.demotion(Demotion.builder(p, "general").since(NOW).retryAt(NOW.plus(Duration.ofHours(1))).failures(9)
            .sample(10).evidence(p + " failed 9 of 10").build());
      }
      Assignment a = Assignment.builder("t1", "general").candidates(List.of("claude", "chatgpt"))
          .statistics(b.build()).at(NOW).build();
      assertWithin(createStrategy(1).choose(a), a);
    }

    @Test
    void stillChoosesWhenTheBudgetIsSpent() {
      Random r = new Random(11);
      LearningStrategy s = createStrategy(11);
      for (int i = 0; i < 50; i++) {
        Assignment a = randomAssignment(r, randomStatistics(r)).toBuilder().remainingBudget(Money.ZERO).build();
        assertWithin(s.choose(a), a);
      }
    }
  }

  /** Reproducibility. */
  @Nested
  class Determinism {
    @Test
    void theSameSeedAndAssignmentsGiveTheSameChoices() {
      List<Assignment> assignments = new ArrayList<>();
      Random r = new Random(42);
      for (int i = 0; i < 100; i++) {
        assignments.add(randomAssignment(r, randomStatistics(r)));
      }
      LearningStrategy one = createStrategy(99);
      LearningStrategy two = createStrategy(99);
      for (Assignment a : assignments) {
        assertThat(two.choose(a)).isEqualTo(one.choose(a));
      }
    }
  }

  /** Discovery through {@code META-INF/services}. */
  @Nested
  class Discovery {
    @Test
    void itsFactoryIsDiscoveredByName() {
      String name = factoryName();
      assumeTrue(name != null, "no factory name given");
      LearningStrategyFactory found = null;
      for (LearningStrategyFactory f : ServiceLoader.load(LearningStrategyFactory.class)) {
        if (f.name().equals(name)) {
          found = f;
        }
      }
      assertThat(found).as("a LearningStrategyFactory named '%s' in META-INF/services", name).isNotNull();
      PluginContext context = PluginContext.of(MutableClock.at(NOW, ZoneOffset.UTC), Scheduler.none(),
          k -> null);
      LearningStrategy s = found.create(new PluginConfig("learning", name, Map.of("seed", "5")), context);
      Assignment a = Assignment.builder("t1", "general").candidates(List.of("claude", "chatgpt")).at(NOW).build();
      assertWithin(s.choose(a), a);
    }
  }
}
