package dev.orchestrator.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Scheduler;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginContextTest {
  private final Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

  @Test
  void aContextReadsTheEnvironmentAndRecordsProcessesNowhereByDefault() {
    PluginContext c = PluginContext.of(clock, Scheduler.none(), Map.of("KEY", "secret")::get);
    assertThat(c.env("KEY")).isEqualTo("secret");
    assertThat(c.env("OTHER")).isNull();
    assertThat(c.processes()).isSameAs(ChildProcesses.NONE);
    assertThat(c.toString()).doesNotContain("secret");
    ChildProcesses recorded = (call, process) -> () -> { };
    assertThat(c.toBuilder().processes(recorded).build().processes()).isSameAs(recorded);
  }

  @Test
  void clockSchedulerAndEnvironmentAreRequired() {
    assertThatThrownBy(() -> PluginContext.builder().clock(clock).scheduler(Scheduler.none()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("environment(System::getenv)");
    assertThatThrownBy(() -> PluginContext.builder().processes(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("processes");
  }
}
