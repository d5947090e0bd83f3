package dev.orchestrator.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.guard.GuardFactory;
import dev.orchestrator.spi.guard.GuardInput;
import dev.orchestrator.spi.guard.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The suite every guard passes. Implement {@link #createGuard()}, and give a text it must stop ({@link #bad()}) and
 * one it must let through ({@link #good()}).
 */
public abstract class GuardContract {
  /** The guard under test. */
  protected abstract Guard createGuard();

  /** A text the guard must not simply allow, on the prompt side, the output side or both. */
  protected abstract String bad();

  /** A text the guard must allow on both sides. */
  protected String good() {
    return "Write three friendly sentences about tides.";
  }

  /** A secret inside {@link #bad()} that must never appear in a verdict's reason, or null. */
  protected @Nullable String secret() {
    return null;
  }

  /** The type its factory is discovered under, or null. */
  protected @Nullable String factoryType() {
    return null;
  }

  /** The provider type the inputs claim; override for guards that check only some providers. */
  protected String providerType() {
    return "openai";
  }

  protected GuardInput input(String text) {
    return GuardInput.builder().project("contract").runId("run-1").taskId("task-1").taskType("general")
        .provider("provider").providerType(providerType()).text(text).build();
  }

  /** Behaviour. */
  @Nested
  class Verdicts {
    @Test
    void allowsAnOrdinaryText() {
      Guard g = createGuard();
      assertThat(g.checkPrompt(input(good())).action()).isEqualTo(Verdict.Action.ALLOW);
      assertThat(g.checkOutput(input(good())).action()).isEqualTo(Verdict.Action.ALLOW);
    }

    @Test
    void stopsTheBadTextOnAtLeastOneSideWithAReason() {
      Guard g = createGuard();
      Verdict prompt = g.checkPrompt(input(bad()));
      Verdict output = g.checkOutput(input(bad()));
      assertThat(prompt.action() != Verdict.Action.ALLOW || output.action() != Verdict.Action.ALLOW).isTrue();
      for (Verdict v : List.of(prompt, output)) {
        if (v.action() != Verdict.Action.ALLOW) {
          assertThat(v.reason()).isNotBlank();
        }
      }
    }

    @Test
    void neverRepeatsTheSecretItFound() {
      String secret = secret();
      assumeTrue(secret != null, "this guard looks for no secret");
      Guard g = createGuard();
      for (Verdict v : List.of(g.checkPrompt(input(bad())), g.checkOutput(input(bad())))) {
        assertThat(v.reason()).doesNotContain(secret);
        if (v.action() == Verdict.Action.REDACT) {
          assertThat(v.replacement()).doesNotContain(secret);
        }
      }
    }

    @Test
    void hasAName() {
      assertThat(createGuard().name()).isNotBlank();
    }
  }

  /** Guards are called from many threads. */
  @Nested
  class Concurrency {
    @Test
    void givesTheSameVerdictFromManyThreads() throws Exception {
      Guard g = createGuard();
      Verdict.Action expected = g.checkPrompt(input(bad())).action();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Verdict.Action>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          results.add(pool.submit(() -> g.checkPrompt(input(bad())).action()));
        }
        for (Future<Verdict.Action> r : results) {
          assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Discovery through ServiceLoader. */
  @Nested
  class Discovery {
    @Test
    void theFactoryIsDiscoverable() {
      String type = factoryType();
      assumeTrue(type != null, "this guard ships no factory");
      List<String> types = new ArrayList<>();
      for (GuardFactory f : ServiceLoader.load(GuardFactory.class)) {
        types.add(f.type());
      }
      assertThat(types).contains(type);
    }
  }
}
