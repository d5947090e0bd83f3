package dev.orchestrator.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.BudgetLimitReachedEvent;
import dev.orchestrator.event.BudgetThresholdCrossedEvent;
import dev.orchestrator.event.CircuitOpenedEvent;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskPriorityChangedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Events are sentences for people, never a record's fields. */
class EventTextTest {
  private static final Instant AT = Instant.parse("2026-12-01T09:00:00Z");

  private static String text(Event e) {
    return EventText.describe(e, Set.of());
  }

  @Test
  void budgetEvents() {
    assertThat(text(new BudgetLimitReachedEvent("p", "r", AT, BudgetScope.project("quantum-self"),
        Money.usd("0.0042"), Money.usd("0"), Money.usd("0.005"), Money.usd("0.0013"))))
        .isEqualTo("project quantum-self reached its limit: a call of up to $0.0013 was not made ($0.0042 spent, "
            + "$0.00 in flight, limit $0.0050); the task waits until the limit is raised");
    assertThat(text(new BudgetThresholdCrossedEvent("p", "r", AT, BudgetScope.providerDaily("claude"), 0.75,
        Money.usd("15.2"), Money.usd("20"))))
        .isEqualTo("provider claude (daily) crossed 75% of its limit: $15.20 spent of $20.00");
  }

  @Test
  void otherEvents() {
    assertThat(text(new CircuitOpenedEvent("gemini", AT, 3, Duration.ofHours(1))))
        .isEqualTo("provider gemini failed 3 times: no calls to it for 1h00m");
    assertThat(text(new TaskPriorityChangedEvent("p", "r", "t", AT, Priority.MEDIUM, Priority.HIGH)))
        .isEqualTo("priority changed from MEDIUM to HIGH");
  }

  @Test
  void learningEvents() {
    assertThat(text(new dev.orchestrator.event.ProviderChosenEvent("p", "r", "t", AT, "summarization", "gemini",
        java.util.List.of("claude"), "adaptive", "adaptive: gemini drew quality 0.86")))
        .isEqualTo("runs on gemini, chosen by adaptive: adaptive: gemini drew quality 0.86");
    assertThat(text(new dev.orchestrator.event.ProviderDemotedEvent("p", AT, "claude", "code_generation", AT,
        AT.plusSeconds(3600), 7, 10, "claude failed 7 of its last 10 code_generation attempts")))
        .isEqualTo("claude demoted for code_generation: claude failed 7 of its last 10 code_generation attempts");
    assertThat(text(new dev.orchestrator.event.ShadowComparedEvent("p", "r", "t", AT, "summarization", "claude",
        "gemini", "gemini", "chatgpt", "shorter and as accurate", Money.usd("0.0021"), "c", 3, 5)))
        .isEqualTo("shadow comparison on summarization: gemini won (claude against gemini, judged by chatgpt,"
            + " $0.0021): shorter and as accurate");
    assertThat(text(new dev.orchestrator.event.TaskCommittedEvent("p", "r", "t", AT, "task",
        "3f9a2c41d0e5b7a8c9d0e1f2a3b4c5d6e7f80912", "orchestrator/r/t", java.util.List.of("css/site.css",
        "index.html"))))
        .isEqualTo("git task commit 3f9a2c41d0e5 on orchestrator/r/t, 2 file(s) changed: css/site.css, index.html");
  }
}
