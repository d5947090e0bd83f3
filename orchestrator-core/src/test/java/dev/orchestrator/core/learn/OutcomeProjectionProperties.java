package dev.orchestrator.core.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.event.GuardTriggeredEvent;
import dev.orchestrator.learn.ProviderStats;
import dev.orchestrator.spi.store.StoredEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The statistics are a pure function of the event stream: rebuilt from scratch, folded in any batches, resumed after
 * a restart, or fed an event twice, they come out the same.
 */
class OutcomeProjectionProperties {
  private static final List<String> PROVIDERS = List.of("claude", "chatgpt", "gemini");
  private static final List<String> PROJECTS = List.of("alpha", "beta");
  private static final ErrorKind[] KINDS = {ErrorKind.SERVER, ErrorKind.TIMEOUT, ErrorKind.RATE_LIMITED,
      ErrorKind.BUDGET, ErrorKind.REVIEW_REJECTED, ErrorKind.CANCELLED};

  /** Random runs of tasks with retries, failovers, reviews and guards; times mostly forward, sometimes skewed. */
  static List<StoredEvent> history(long seed, int tasks) {
    Random r = new Random(seed);
    EventLog log = new EventLog("alpha", "run-0");
    Instant now = Instant.parse("2026-05-01T10:00:00Z");
    for (int t = 0; t < tasks; t++) {
      EventLog run = log.forRun(PROJECTS.get(r.nextInt(2)), "run-" + r.nextInt(3));
      String task = (r.nextBoolean() ? "code-" : "review-") + t;
      int attempts = 1 + r.nextInt(3);
      String provider = PROVIDERS.get(r.nextInt(3));
      for (int a = 1; a <= attempts; a++) {
        if (a > 1 && r.nextInt(3) == 0) {
          provider = PROVIDERS.get(r.nextInt(3));
        }
        // A second process's clock may run a little behind.
        now = now.plus(Duration.ofSeconds(r.nextInt(600) - (r.nextInt(10) == 0 ? 900 : 0)));
        run.started(task, provider, a, now);
        now = now.plus(Duration.ofSeconds(1 + r.nextInt(120)));
        if (r.nextInt(4) == 0) {
          run.awaitingReview(task, now);
          run.reviewed(task, r.nextInt(11), now);
        }
        if (r.nextInt(8) == 0) {
          run.guard(task, r.nextBoolean() ? GuardTriggeredEvent.Phase.OUTPUT : GuardTriggeredEvent.Phase.PROMPT, now);
        }
        if (a == attempts && r.nextInt(3) > 0) {
          run.succeeded(task, provider, Money.usd(BigDecimal.valueOf(r.nextInt(5000), 5)), r.nextInt(5000), now);
        } else if (a == attempts) {
          run.failed(task, provider, KINDS[r.nextInt(KINDS.length)], now);
        } else {
          run.retry(task, KINDS[r.nextInt(KINDS.length)], a + 1, now);
        }
      }
    }
    return log.events;
  }

  private static OutcomeProjection projection(Duration halfLife) {
    return OutcomeProjection.builder().halfLife(halfLife).minSamples(3).failureWindow(6).failureThreshold(0.5)
        .coolDown(Duration.ofMinutes(30))
        .taskTypes((project, run, task) -> task.startsWith("code") ? "code_generation" : "content_review").build();
  }

  @Property(tries = 200)
  void rebuildingFromTheSameEventsGivesTheSameFigures(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 60) int tasks, @ForAll @IntRange(min = 1, max = 40) int batch,
      @ForAll @IntRange(min = 0, max = 100) int restartAtPercent, @ForAll boolean decay) {
    List<StoredEvent> events = history(seed, tasks);
    Duration halfLife = decay ? Duration.ofMinutes(45) : Duration.ZERO;

    OutcomeProjection once = projection(halfLife);
    once.applyAll(events);

    OutcomeProjection batched = projection(halfLife);
    for (int i = 0; i < events.size(); i += batch) {
      batched.applyAll(events.subList(i, Math.min(events.size(), i + batch)));
      batched.global(); // reading in between changes nothing
    }

    // A process that folded part of the stream, then one that starts after a restart and reads it all again.
    OutcomeProjection beforeRestart = projection(halfLife);
    beforeRestart.applyAll(events.subList(0, events.size() * restartAtPercent / 100));
    OutcomeProjection afterRestart = projection(halfLife);
    afterRestart.applyAll(events);
    beforeRestart.applyAll(events); // the part already seen is skipped

    for (OutcomeProjection other : List.of(batched, afterRestart, beforeRestart)) {
      assertThat(other.global()).isEqualTo(once.global());
      for (String project : PROJECTS) {
        assertThat(other.project(project)).isEqualTo(once.project(project));
      }
      assertThat(other.lastSequence()).isEqualTo(events.size());
    }
  }

  // No demotion here: a demotion starts a scope over, and the project and global scopes cross the threshold apart.
  @Property(tries = 200)
  void withoutDecayOutcomesNeverExceedAttemptsAndProjectsAddUpToTheGlobalFigures(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 60) int tasks) {
    OutcomeProjection p = OutcomeProjection.builder().halfLife(Duration.ZERO).failureThreshold(1.0).failureWindow(1000).minSamples(1000)
        .taskTypes((project, run, task) -> task.startsWith("code") ? "code_generation" : "content_review").build();
    p.applyAll(history(seed, tasks));
    for (ProviderStats g : p.global().all()) {
      assertThat(g.outcomes()).isLessThanOrEqualTo(g.attempts());
      assertThat(g.attempts()).isEqualTo((double) g.samples());
      long samples = 0;
      double failures = 0;
      for (String project : PROJECTS) {
        ProviderStats s = p.project(project).statsOrEmpty(g.provider(), g.taskType());
        samples += s.samples();
        failures += s.failures();
      }
      assertThat(samples).isEqualTo(g.samples());
      assertThat(failures).isEqualTo(g.failures());
    }
  }
}
