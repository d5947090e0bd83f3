package dev.orchestrator.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first example of docs/metrics.md runs, and its scrape holds the lines the page shows, so the page cannot rot. */
class DocsExampleTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  @Test
  void theScrapeHoldsTheLinesThePageShows() throws Exception {
    FakeProvider claude = FakeProvider.builder("claude").costPerCall(Money.usd("0.125"))
        .otherwise(r -> Reply.text("Tide comes in, tide goes out", TokenUsage.of(1000, 50))).build();
    String scrape;
    // From here to the scrape, as on the page (the clock, scheduler and executor make it deterministic).
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (Orchestrator orchestrator = Orchestrator.builder().clock(clock).scheduler(scheduler).executor(Runnable::run)
             .provider(claude).budget(Budget.of(BudgetScope.project("demo"), Money.usd("2.00"))).build();
         OrchestratorMetrics metrics = OrchestratorMetrics.bindTo(orchestrator, registry)) {
      orchestrator.submit("demo", Workflow.builder("w")
          .task("draft", t -> t.instructions("Draft a haiku about tides").provider("claude"))
          .build()).completion().join();
      clock.advance(OrchestratorMetrics.DEFAULT_SNAPSHOT_TTL);
      scrape = registry.scrape();
    }

    assertThat(scrape).contains(documentedLines());
  }

  private static List<String> documentedLines() throws Exception {
    String text = Files.readString(Path.of("..", "docs", "metrics.md"));
    int start = text.indexOf("```", text.indexOf("A scrape then holds lines")) + "```".length();
    String block = text.substring(start, text.indexOf("```", start)).strip();
    List<String> lines = block.lines().toList();
    assertThat(lines).hasSizeGreaterThan(5);
    return lines;
  }
}
