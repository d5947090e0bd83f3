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

  @Test
  void anOutboxCursorStartsAtZeroAndRefusesNegativePositionsOrVersions() {
    assertThat(Outbox.Cursor.start("n")).isEqualTo(Outbox.Cursor.builder().relay("n").position(0).state("").build());
    assertThatThrownBy(() -> Outbox.Cursor.builder().position(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("position must be >= 0 (was -1)");
    assertThatThrownBy(() -> Outbox.Cursor.builder().version(-2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version must be >= 0 (was -2)");
    assertThatThrownBy(() -> Outbox.Cursor.builder().relay(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("relay must not be blank");
    assertThatThrownBy(() -> Outbox.Cursor.builder().position(3).build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("relay is required");
    Outbox.Cursor c = Outbox.Cursor.start("n").toBuilder().position(4).version(1).state("s").build();
    assertThat(c).hasToString("Cursor[relay=n, position=4, version=1, state=s]");
  }

  @Test
  void anOutboxEntryRequiresItsEventAndRefusesBlankKeysOrDestinations() {
    Outbox.Entry.Builder b = Outbox.Entry.builder().key("1-x-slack").project("p").destination("slack").payload("{}");
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("eventSequence is required");
    assertThatThrownBy(() -> b.eventSequence(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eventSequence must be >= 0 (was -1)");
    assertThatThrownBy(() -> b.destination("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("destination must not be blank");
    assertThatThrownBy(() -> b.key("k".repeat(Outbox.MAX_NAME_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key must be at most 200 characters");
    Outbox.Entry e = b.eventSequence(1).build();
    assertThat(e).hasToString("Entry[key=1-x-slack, eventSequence=1, project=p, destination=slack, payload={}]");
  }

  @Test
  void anOutboxDeliveryIsMadeFromItsEntryAndRefusesNegativeCounts() {
    Outbox.Entry e = Outbox.Entry.builder().key("k").eventSequence(7).project("p").destination("d").payload("x")
        .build();
    Outbox.Delivery d = Outbox.Delivery.builder().relay("n").entry(e).status(Outbox.Status.PENDING).dueAt(T0)
        .createdAt(T0).build();
    assertThat(d.eventSequence()).isEqualTo(7);
    assertThat(d.attempts()).isZero();
    assertThat(d.owner()).isNull();
    Outbox.Delivery claimed = d.toBuilder().attempts(1).claimToken(1).owner("o").leaseUntil(T0).build();
    assertThat(claimed).isNotEqualTo(d);
    assertThat(claimed.toBuilder().attempts(0).claimToken(0).owner(null).leaseUntil(null).build()).isEqualTo(d);
    assertThatThrownBy(() -> Outbox.Delivery.builder().attempts(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attempts must be >= 0 (was -1)");
    assertThatThrownBy(() -> Outbox.Delivery.builder().claimToken(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claimToken must be >= 0 (was -1)");
    assertThatThrownBy(() -> d.toBuilder().status(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("status");
    assertThatThrownBy(() -> Outbox.Delivery.builder().relay("n").entry(e).dueAt(T0).createdAt(T0).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("status is required");
  }

  @Test
  void aCircuitIsClosedUnlessToldAndRefusesNegativeProbeSuccesses() {
    ProviderHealth.Circuit closed = ProviderHealth.Circuit.closed("claude");
    assertThat(closed).isEqualTo(ProviderHealth.Circuit.builder().provider("claude").build());
    assertThat(closed.state()).isEqualTo(dev.orchestrator.policy.CircuitState.State.CLOSED);
    assertThat(closed.failures()).isEmpty();
    assertThatThrownBy(() -> ProviderHealth.Circuit.builder().probeSuccesses(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probeSuccesses must be >= 0 (was -1)");
    assertThatThrownBy(() -> ProviderHealth.Circuit.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("provider is required");
    java.util.List<Instant> failures = new java.util.ArrayList<>(java.util.List.of(T0));
    ProviderHealth.Circuit c = closed.toBuilder().failures(failures).build();
    failures.clear();
    assertThat(c.failures()).containsExactly(T0);
    assertThat(c.failuresWithin(java.time.Duration.ofMinutes(1), T0.plusSeconds(30))).isEqualTo(1);
    assertThat(c.probeHeld(T0)).isFalse();
  }

  @Test
  void aStoredScheduleRequiresItsTriggerAndKeepsItsParametersInOrder() {
    ScheduleStore.StoredSchedule.Builder b = ScheduleStore.StoredSchedule.builder().id("s").project("p")
        .workflow("w").definition("{}").zone(java.time.ZoneOffset.UTC)
        .misfire(dev.orchestrator.schedule.MisfirePolicy.skip()).createdAt(T0);
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("trigger is required");
    java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
    params.put("z", "1");
    params.put("a", "2");
    ScheduleStore.StoredSchedule s = b.trigger(dev.orchestrator.schedule.Trigger.cron("0 9 * * *")).params(params)
        .build();
    params.put("m", "3");
    assertThat(s.params().keySet()).containsExactly("z", "a");
    assertThat(s.paused()).isFalse();
    assertThat(s.withPaused(true).paused()).isTrue();
    assertThat(s.withPaused(true).withPaused(false)).isEqualTo(s);
  }
}
