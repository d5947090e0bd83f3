package dev.orchestrator.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.event.GuardTriggeredEvent;
import dev.orchestrator.learn.Demotion;
import dev.orchestrator.learn.OutcomeStatistics;
import dev.orchestrator.learn.ProviderStats;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutcomeProjectionTest {
  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
  private final EventLog log = new EventLog("p", "r1");

  private static Instant at(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  private static OutcomeProjection plain() {
    return OutcomeProjection.builder().halfLife(Duration.ZERO)
        .taskTypes((project, run, task) -> task.startsWith("code") ? "code_generation" : "content_review").build();
  }

  @Test
  void countsFirstTrySuccessesRetriesFailuresAndFailovers() {
    log.started("code-1", "claude", 1, at(0));
    log.succeeded("code-1", "claude", Money.usd("0.02"), 1000, at(1));
    log.started("code-2", "chatgpt", 1, at(2));
    log.retry("code-2", ErrorKind.SERVER, 2, at(3));
    log.started("code-2", "chatgpt", 2, at(4));
    log.retry("code-2", ErrorKind.TIMEOUT, 3, at(5));
    log.started("code-2", "claude", 3, at(6));
    log.succeeded("code-2", "claude", Money.usd("0.04"), 3000, at(8));
    OutcomeProjection p = plain();
    assertThat(p.applyAll(log.events)).isEqualTo(8);

    ProviderStats claude = p.global().stats("claude", "code_generation").orElseThrow();
    assertThat(claude.samples()).isEqualTo(2);
    assertThat(claude.firstTrySuccesses()).isEqualTo(1.0);
    assertThat(claude.retrySuccesses()).isEqualTo(1.0);
    assertThat(claude.failures()).isZero();
    assertThat(claude.costPerSuccess()).isEqualTo(Money.usd("0.03"));
    assertThat(claude.tokens()).isEqualTo(4000.0);
    assertThat(claude.latencyP50()).isEqualTo(Duration.ofMinutes(1));
    assertThat(claude.latencyP95()).isEqualTo(Duration.ofMinutes(2));

    ProviderStats chatgpt = p.global().stats("chatgpt", "code_generation").orElseThrow();
    assertThat(chatgpt.samples()).isEqualTo(2);
    assertThat(chatgpt.failures()).isEqualTo(2.0);
    assertThat(chatgpt.failovers()).as("the second failure sent the task to claude").isEqualTo(1.0);
    assertThat(chatgpt.successRate()).isZero();
    assertThat(chatgpt.costPerSuccess()).isNull();
    assertThat(p.project("p")).isEqualTo(p.global());
    assertThat(p.project("other").all()).isEmpty();
  }

  @Test
  void creditsReviewsAndOutputGuardsToTheProviderWhoseOutputItWas() {
    log.started("review-1", "gemini", 1, at(0));
    log.awaitingReview("review-1", at(1));
    log.reviewed("review-1", 8, at(2));
    log.guard("review-1", GuardTriggeredEvent.Phase.OUTPUT, at(2));
    log.guard("review-1", GuardTriggeredEvent.Phase.PROMPT, at(2));
    log.succeeded("review-1", "gemini", Money.usd("0.001"), 10, at(3));
    OutcomeProjection p = plain();
    p.applyAll(log.events);
    ProviderStats g = p.global().stats("gemini", "content_review").orElseThrow();
    assertThat(g.reviewScoreMean()).hasValue(8.0);
    assertThat(g.reviewScores().get(8)).isEqualTo(1.0);
    assertThat(g.guardViolations()).as("a prompt guard is not the provider's doing").isEqualTo(1.0);
    assertThat(g.quality()).isEqualTo(0.8);
    assertThat(g.latencyP50()).as("the call ended when the review began").isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void budgetAndCancellationAreNotTheProvidersFailures() {
    log.started("code-1", "claude", 1, at(0));
    log.failed("code-1", "claude", ErrorKind.BUDGET, at(1));
    log.failed("code-2", "claude", ErrorKind.SERVER, at(1)); // never started: refused before a call
    OutcomeProjection p = plain();
    p.applyAll(log.events);
    ProviderStats c = p.global().stats("claude", "code_generation").orElseThrow();
    assertThat(c.samples()).isEqualTo(1);
    assertThat(c.outcomes()).isZero();
  }

  @Test
  void foldsEachSequenceOnceAndResumesAfterTheLastOneSeen() {
    for (int i = 0; i < 10; i++) {
      log.started("code-" + i, "claude", 1, at(i));
      log.succeeded("code-" + i, "claude", Money.usd("0.01"), 100, at(i));
    }
    OutcomeProjection p = plain();
    p.applyAll(log.events.subList(0, 7));
    assertThat(p.applyAll(log.events)).as("only the events after 7").isEqualTo(13);
    assertThat(p.apply(log.events.get(3))).isFalse();
    assertThat(p.lastSequence()).isEqualTo(20);
    OutcomeProjection fresh = plain();
    fresh.applyAll(log.events);
    assertThat(p.global()).isEqualTo(fresh.global());
    assertThat(p.global().stats("claude", "code_generation").orElseThrow().firstTrySuccesses()).isEqualTo(10.0);
  }

  @Test
  void recentOutcomesWeighMoreWithAHalfLife() {
    log.started("code-1", "claude", 1, at(0));
    log.failed("code-1", "claude", ErrorKind.SERVER, at(0));
    log.started("code-2", "claude", 1, at(60));
    log.succeeded("code-2", "claude", Money.usd("0.01"), 100, at(60));
    OutcomeProjection p = OutcomeProjection.builder().halfLife(Duration.ofHours(1))
        .taskTypes((pr, r, t) -> "code_generation").build();
    p.applyAll(log.events);
    ProviderStats c = p.global().stats("claude", "code_generation").orElseThrow();
    assertThat(c.failures()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(c.successes()).isEqualTo(1.0);
    assertThat(c.successRate()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(c.samples()).as("samples are never weighted").isEqualTo(2);
    assertThat(c.asOf()).isEqualTo(at(60));
  }

  @Test
  void demotesAProviderThatFailsTooOftenWithTheEvidenceAndStartsItOver() {
    OutcomeProjection p = OutcomeProjection.builder().halfLife(Duration.ZERO).minSamples(5).failureWindow(10)
        .failureThreshold(0.6).coolDown(Duration.ofHours(1)).taskTypes((pr, r, t) -> "code_generation").build();
    for (int i = 0; i < 5; i++) {
      log.started("code-" + i, "claude", 1, at(i));
      if (i < 2) {
        log.succeeded("code-" + i, "claude", Money.usd("0.01"), 100, at(i));
      } else {
        log.failed("code-" + i, "claude", ErrorKind.SERVER, at(i));
      }
    }
    p.applyAll(log.events);
    OutcomeStatistics s = p.global();
    Demotion d = s.demotion("claude", "code_generation", at(5)).orElseThrow();
    assertThat(d.since()).isEqualTo(at(4));
    assertThat(d.retryAt()).isEqualTo(at(64));
    assertThat(d.failures()).isEqualTo(3);
    assertThat(d.sample()).isEqualTo(5);
    assertThat(d.evidence()).contains("claude failed 3 of its last 5 code_generation attempts (60% >= 60%)");
    assertThat(s.demotion("claude", "code_generation", at(64))).as("over after the cool-down").isEmpty();
    assertThat(s.stats("claude", "code_generation").orElseThrow().samples()).as("it starts over").isZero();
    assertThat(p.project("p").demotions()).containsExactly(d);
  }

  @Test
  void refusesSettingsThatCannotWork() {
    assertThatThrownBy(() -> OutcomeProjection.builder().halfLife(Duration.ofSeconds(-1)))
        .hasMessageContaining("halfLife must not be negative (was PT-1S)");
    assertThatThrownBy(() -> OutcomeProjection.builder().failureThreshold(1.5))
        .hasMessageContaining("failureThreshold must be > 0 and <= 1 (was 1.5)");
    assertThatThrownBy(() -> OutcomeProjection.builder().minSamples(30).failureWindow(20).build())
        .hasMessageContaining("minSamples must be <= failureWindow (was 30 > 20)");
  }
}
