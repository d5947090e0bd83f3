package dev.orchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.ErrorKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureReportTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void rowsCountFailuresWithinAttempts() {
    FailureReport.Row row = FailureReport.Row.builder().provider("claude").taskType("writing").attempts(4)
        .failures(2).byKind(Map.of(ErrorKind.TIMEOUT, 2)).build();
    assertThat(row.failureRate()).isEqualTo(0.5);
    assertThat(row.mostCommonKind()).isEqualTo(ErrorKind.TIMEOUT);
    FailureReport r = FailureReport.builder().from(T0).to(T0.plus(Duration.ofHours(24))).rows(List.of(row)).build();
    assertThat(r.window()).isEqualTo(Duration.ofHours(24));
    assertThat(r.toText()).startsWith("Failures in the last 24 h\n");
    assertThatThrownBy(() -> FailureReport.Row.builder().attempts(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("attempts must be >= 0 (was -1)");
    assertThatThrownBy(() -> FailureReport.Row.builder().provider("claude").taskType("writing").attempts(1)
        .failures(2).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("failures must not exceed attempts (was failures=2, attempts=1)");
  }

  @Test
  void theWindowIsRequiredAndInOrder() {
    assertThatThrownBy(() -> FailureReport.builder().from(T0).build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call from(start) and to(end)");
    assertThatThrownBy(() -> FailureReport.builder().from(T0).to(T0.minusSeconds(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("must not end before it starts");
  }
}
