package dev.orchestrator.spi.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.budget.BudgetScope;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The builders of the store's values: what they require and what they refuse. */
class StoreValuesTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Account GLOBAL = new Account(BudgetScope.global(), null);

  @Test
  void anAgentProcessRefusesAPidOrAttemptBelowOne() {
    assertThatThrownBy(() -> AgentProcess.builder().pid(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pid must be > 0 (was 0)");
    assertThatThrownBy(() -> AgentProcess.builder().attempt(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attempt must be >= 1 (was -1)");
    assertThatThrownBy(() -> AgentProcess.builder().project("p").runId("r").taskId("t").attempt(1).host("h")
        .processStart(T0).owner("o").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("pid is required");
  }

  @Test
  void aClaimRequiresItsFenceAndRefusesAnAttemptBelowOne() {
    assertThatThrownBy(() -> Claim.builder().attempt(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attempt must be >= 1 (was 0)");
    assertThatThrownBy(() -> Claim.builder().project("p").runId("r").taskId("t").attempt(1).leaseUntil(T0).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("fence is required");
    Claim c = Claim.builder().project("p").runId("r").taskId("t").fence(3).attempt(1).leaseUntil(T0).build();
    assertThat(c.toBuilder().fence(4).build()).isNotEqualTo(c);
    assertThat(c).hasToString("Claim[project=p, runId=r, taskId=t, fence=3, attempt=1, leaseUntil=" + T0 + "]");
  }

  @Test
  void aCommandRequiresWhoAsksAndMayOmitItsRunOnlyAsOldRowsDo() {
    assertThatThrownBy(() -> Command.builder().id("c").kind(Command.Kind.CANCEL).project("p").text("")
        .at(T0).build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("by is required");
    Command old = Command.builder().id("c").kind(Command.Kind.ANSWER).project("p").target("q").by("alice")
        .text("yes").at(T0).build();
    assertThat(old.runId()).isNull();
    assertThat(old.toBuilder().runId("r").build().runId()).isEqualTo("r");
  }

  @Test
  void aPauseOfAProviderKeepsItsNameInLowerCase() {
    assertThat(Pause.provider("Claude", "outage", T0).name()).isEqualTo("claude");
    assertThat(Pause.project("Blog", "over budget", T0).name()).isEqualTo("Blog");
    assertThatThrownBy(() -> Pause.builder().name("x").reason("y").at(T0).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("kind is required");
  }

  @Test
  void budgetFiguresStartAtZeroAndRequireWhatTheyReport() {
    Balance empty = Balance.builder(GLOBAL).build();
    assertThat(empty).isEqualTo(Balance.of(GLOBAL, BigDecimal.ZERO, BigDecimal.ZERO));
    Balance b = empty.toBuilder().spent(new BigDecimal("3")).estimated(new BigDecimal("1")).build();
    assertThat(b.measured()).isEqualByComparingTo("2");
    assertThatThrownBy(() -> LimitBreach.builder(GLOBAL).limit(BigDecimal.ONE).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("wanted is required");
    assertThatThrownBy(() -> ThresholdCrossing.builder(GLOBAL).spent(BigDecimal.ONE).limit(BigDecimal.TEN).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("threshold is required");
    assertThatThrownBy(() -> Balance.builder(GLOBAL).spent(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("spent");
  }
}
