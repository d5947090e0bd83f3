package dev.orchestrator.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a Prometheus server scraping the application reads. */
class PrometheusScrapeTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  @Test
  void theScrapeNamesEveryMeterInPrometheusConvention() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FakeProvider claude = FakeProvider.builder("claude").scheduler(scheduler).latency(Duration.ofSeconds(3))
        .costPerCall(Money.usd("0.125")).otherwise(r -> Reply.text("ok", TokenUsage.of(1000, 50))).build();
    FakeProvider broken = FakeProvider.builder("broken").otherwise(r -> Reply.failure(ErrorKind.TIMEOUT)).build();
    try (Orchestrator o = Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run)
        .provider(claude).provider(broken).build();
        OrchestratorMetrics metrics = OrchestratorMetrics.bindTo(o, registry)) {
      Run run = o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("x").provider("claude"))
          .task("b", t -> t.instructions("y").provider("broken").retry(RetryPolicy.builder().maxAttempts(1).build()))
          .build());
      scheduler.advance(Duration.ofMinutes(1));
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.FAILED);
      clock.advance(OrchestratorMetrics.DEFAULT_SNAPSHOT_TTL);

      String scrape = registry.scrape();

      assertThat(scrape).contains(
          "orchestrator_attempts_total{error=\"none\",outcome=\"success\",provider=\"claude\"} 1.0",
          "orchestrator_attempts_total{error=\"timeout\",outcome=\"failure\",provider=\"broken\"} 1.0",
          "orchestrator_provider_latency_seconds_count{outcome=\"success\",provider=\"claude\"} 1",
          "orchestrator_provider_latency_seconds_sum{outcome=\"success\",provider=\"claude\"} 3.0",
          "orchestrator_tokens_total{provider=\"claude\",type=\"input\"} 1000.0",
          "orchestrator_tokens_total{provider=\"claude\",type=\"output\"} 50.0",
          "orchestrator_cost_usd_total{project=\"demo\",provider=\"claude\"} 0.125",
          "orchestrator_tasks{state=\"running\"} 0.0",
          "orchestrator_queue_depth{lane=\"medium\"} 0.0",
          "orchestrator_breaker_state{provider=\"claude\",state=\"closed\"} 1.0",
          "# HELP orchestrator_cost_usd_total Cost of the calls that completed tasks");
      assertThat(scrape).doesNotContain(run.id());
    }
  }
}
