package dev.orchestrator.micrometer.internal;

import static dev.orchestrator.micrometer.OrchestratorMeters.ATTEMPTS;
import static dev.orchestrator.micrometer.OrchestratorMeters.COST;
import static dev.orchestrator.micrometer.OrchestratorMeters.ERROR;
import static dev.orchestrator.micrometer.OrchestratorMeters.OUTCOME;
import static dev.orchestrator.micrometer.OrchestratorMeters.PROJECT;
import static dev.orchestrator.micrometer.OrchestratorMeters.PROVIDER;
import static dev.orchestrator.micrometer.OrchestratorMeters.PROVIDER_LATENCY;
import static dev.orchestrator.micrometer.OrchestratorMeters.TOKENS;
import static dev.orchestrator.micrometer.OrchestratorMeters.TYPE;

import dev.orchestrator.TokenUsage;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.event.TaskSucceededEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Turns the engine's events into counter and timer increments in every bound registry. Thread-safe; never throws
 * into the engine (the engine would log and skip it anyway, but a metrics failure is not worth a warning per event).
 */
public final class EventMeters implements EventSubscriber {
  private final Attempts attempts = new Attempts();
  private final List<MeterRegistry> registries;
  private final Tags common;
  private final BiConsumer<MeterRegistry, Meter> registered;

  /**
   * @param registries the bound registries, a concurrent list the binder adds to
   * @param registered told of each meter created, so that closing the binder can remove it
   */
  public EventMeters(List<MeterRegistry> registries, Tags common, BiConsumer<MeterRegistry, Meter> registered) {
    this.registries = registries;
    this.common = common;
    this.registered = registered;
  }

  @Override
  public void onEvent(Event event) {
    Attempts.Ended ended = attempts.onEvent(event);
    for (MeterRegistry registry : registries) {
      if (ended != null) {
        attempt(registry, ended);
      }
      if (event instanceof TaskSucceededEvent s) {
        succeeded(registry, s);
      }
    }
  }

  private void attempt(MeterRegistry registry, Attempts.Ended e) {
    String error = e.kind() == null ? "none" : e.kind().name().toLowerCase(Locale.ROOT);
    Counter c = Counter.builder(ATTEMPTS).description("Provider attempts that ended, by how they ended")
        .tags(common).tag(PROVIDER, e.provider()).tag(OUTCOME, e.outcome().tag()).tag(ERROR, error).register(registry);
    registered.accept(registry, c);
    c.increment();
    if (e.latency() != null) {
      Timer t = Timer.builder(PROVIDER_LATENCY).description("How long provider attempts took, start to end")
          .tags(common).tag(PROVIDER, e.provider()).tag(OUTCOME, e.outcome().tag()).register(registry);
      registered.accept(registry, t);
      t.record(e.latency());
    }
  }

  private void succeeded(MeterRegistry registry, TaskSucceededEvent s) {
    TokenUsage u = s.usage();
    tokens(registry, s.provider(), "input", u.inputTokens(), true);
    tokens(registry, s.provider(), "output", u.outputTokens(), true);
    tokens(registry, s.provider(), "cached_input", u.cachedInputTokens(), false);
    tokens(registry, s.provider(), "cache_write", u.cacheWriteTokens() + u.cacheWrite1hTokens(), false);
    tokens(registry, s.provider(), "reasoning", u.reasoningTokens(), false);
    Counter cost = Counter.builder(COST).baseUnit("usd")
        .description("Cost of the calls that completed tasks, in US dollars (a double view: the store keeps the exact "
            + "figure)")
        .tags(common).tag(PROVIDER, s.provider()).tag(PROJECT, s.project()).register(registry);
    registered.accept(registry, cost);
    // Money is a BigDecimal; a counter is a double. Sums of cents stay exact to well below a cent for any realistic
    // total, and the exact figure is the store's (Orchestrator#costReport).
    cost.increment(s.cost().amount().doubleValue());
  }

  private void tokens(MeterRegistry registry, String provider, String type, long count, boolean always) {
    if (count == 0 && !always) {
      return;
    }
    Counter c = Counter.builder(TOKENS).baseUnit("tokens").description("Tokens of the calls that completed tasks")
        .tags(common).tag(PROVIDER, provider).tag(TYPE, type).register(registry);
    registered.accept(registry, c);
    c.increment(count);
  }
}
