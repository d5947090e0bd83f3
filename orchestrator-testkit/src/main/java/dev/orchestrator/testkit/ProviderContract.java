package dev.orchestrator.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The suite every provider plugin passes. Extend it, implement {@link #createProvider()}, and switch on the
 * optional groups by overriding their hooks; a group whose hook returns null is skipped with a reason.
 *
 * <pre>{@code
 * class MyProviderTest extends ProviderContract {
 *   protected AiProvider createProvider() { return new MyProvider(...); }
 *   protected AiProvider createFailingProvider(ErrorKind kind) { return ...; } // optional
 * }
 * }</pre>
 *
 * <p>Calls are awaited with {@link #await(CompletableFuture)}; a provider on virtual time overrides it to advance
 * its scheduler instead of waiting.
 */
public abstract class ProviderContract {
  private final List<AiProvider> created = new ArrayList<>();

  /** A provider that answers ordinary prompts successfully. */
  protected abstract AiProvider createProvider();

  /**
   * A provider whose next call fails with {@code kind}, or null when the test cannot arrange that kind (the
   * kind's checks are then skipped).
   */
  protected @Nullable AiProvider createFailingProvider(ErrorKind kind) {
    return null;
  }

  /** A provider whose next call does not end until cancelled, or null to skip the cancellation checks. */
  protected @Nullable AiProvider createHangingProvider() {
    return null;
  }

  /** The secret (API key) {@link #createProvider()} was configured with, or null when it has none. */
  protected @Nullable String secret() {
    return null;
  }

  /** The type id the plugin's factory is discovered under, or null when it ships no factory. */
  protected @Nullable String factoryType() {
    return null;
  }

  /** Waits for a call to end; override to drive virtual time. */
  protected <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  /** The prompt sent by the checks; override when the provider only answers particular prompts. */
  protected ProviderRequest request() {
    return ProviderRequest.of("Say hello in one word.");
  }

  private AiProvider track(@Nullable AiProvider p) {
    if (p != null) {
      created.add(p);
    }
    return p;
  }

  private static CallContext context(int attempt) {
    return CallContext.of("contract", "run-1", "task-1", attempt);
  }

  @AfterEach
  void closeProviders() {
    for (AiProvider p : created) {
      p.close();
    }
    created.clear();
  }

  /** Names and types. */
  @Nested
  class Identity {
    @Test
    void hasALowerCaseNameAndAType() {
      AiProvider p = track(createProvider());
      assertThat(p.name()).isNotBlank().isEqualTo(p.name().toLowerCase(java.util.Locale.ROOT));
      assertThat(p.type()).isNotBlank();
    }
  }

  /** Successful calls. */
  @Nested
  class Completion {
    @Test
    void answersWithTextAndUsage() throws Exception {
      AiProvider p = track(createProvider());
      CompletableFuture<ProviderResponse> f = p.complete(request(), context(1));
      assertThat(f).as("complete() returns a future, never null").isNotNull();
      ProviderResponse r = await(f);
      assertThat(r.text()).isNotNull();
      assertThat(r.question() != null || !r.text().isEmpty()).as("a reply has text or a question").isTrue();
      assertThat(r.usage().inputTokens()).isGreaterThanOrEqualTo(0);
      assertThat(r.cost().isNegative()).isFalse();
    }

    @Test
    void answersCallsMadeTogether() throws Exception {
      AiProvider p = track(createProvider());
      CompletableFuture<ProviderResponse> a = p.complete(request(), context(1));
      CompletableFuture<ProviderResponse> b = p.complete(request(), context(1));
      assertThat(await(a).text()).isNotNull();
      assertThat(await(b).text()).isNotNull();
    }
  }

  /** Planning estimates. */
  @Nested
  class Estimates {
    @Test
    void estimatesWithoutFailing() {
      AiProvider p = track(createProvider());
      CostEstimate e = p.estimate(request());
      assertThat(e.low().isNegative()).isFalse();
      assertThat(e.high()).isGreaterThanOrEqualTo(e.expected());
      assertThat(e.expectedDuration().isNegative()).isFalse();
    }

    @Test
    void worstCaseGrowsWithTheOutputAllowance() {
      AiProvider p = track(createProvider());
      ProviderRequest base = request();
      ProviderRequest small = ProviderRequest.builder().prompt(base.prompt()).system(base.system()).maxOutputTokens(16)
          .taskType(base.taskType()).build();
      ProviderRequest large = ProviderRequest.builder().prompt(base.prompt()).system(base.system())
          .maxOutputTokens(16_000).taskType(base.taskType()).build();
      assertThat(p.estimate(large).high()).isGreaterThanOrEqualTo(p.estimate(small).high());
    }
  }

  /** Classified failures. */
  @Nested
  class Failures {
    @Test
    void rateLimitIsRetryable() throws Exception {
      checkFailure(ErrorKind.RATE_LIMITED);
    }

    @Test
    void serverErrorIsRetryable() throws Exception {
      checkFailure(ErrorKind.SERVER);
    }

    @Test
    void authFailureIsNotRetryable() throws Exception {
      checkFailure(ErrorKind.AUTH);
    }

    @Test
    void invalidRequestIsNotRetryable() throws Exception {
      checkFailure(ErrorKind.INVALID_REQUEST);
    }

    private void checkFailure(ErrorKind kind) throws Exception {
      AiProvider p = track(createFailingProvider(kind));
      assumeTrue(p != null, "this provider's test cannot arrange a " + kind + " failure");
      ProviderException e = failure(p.complete(request(), context(1)));
      assertThat(e.kind()).isEqualTo(kind);
      assertThat(e.provider()).isEqualTo(p.name());
      assertThat(e.retryable()).isEqualTo(kind.retryable());
      String secret = secret();
      if (secret != null) {
        assertThat(String.valueOf(e.getMessage())).doesNotContain(secret);
      }
    }

    private ProviderException failure(CompletableFuture<ProviderResponse> f) throws Exception {
      try {
        await(f);
      } catch (ProviderException e) {
        return e;
      } catch (CompletionException e) {
        if (e.getCause() instanceof ProviderException pe) {
          return pe;
        }
        throw e;
      }
      throw new AssertionError("the call was expected to fail with a ProviderException, but it succeeded");
    }
  }

  /** Cancelling a call in flight. */
  @Nested
  class Cancellation {
    @Test
    void aCancelledCallEndsAndTheProviderStaysUsable() throws Exception {
      AiProvider p = track(createHangingProvider());
      assumeTrue(p != null, "this provider's test cannot arrange a call that hangs");
      CompletableFuture<ProviderResponse> f = p.complete(request(), context(1));
      assertThat(f.isDone()).as("a hanging call is still in flight").isFalse();
      assertThat(f.cancel(true)).isTrue();
      assertThat(f.isCancelled()).isTrue();
      assertThatCode(() -> {
        try {
          f.get(1, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.CancellationException expected) {
          // the outcome of a cancelled call
        }
      }).doesNotThrowAnyException();
    }
  }

  /** Secrets stay secret. */
  @Nested
  class Secrets {
    @Test
    void theKeyNeverAppearsInToString() {
      String secret = secret();
      assumeTrue(secret != null, "this provider has no secret");
      AiProvider p = track(createProvider());
      assertThat(p.toString()).doesNotContain(secret);
      assertThat(p.estimate(request()).toString()).doesNotContain(secret);
    }
  }

  /** Discovery through ServiceLoader. */
  @Nested
  class Discovery {
    @Test
    void theFactoryIsDiscoverable() {
      String type = factoryType();
      assumeTrue(type != null, "this plugin ships no factory");
      List<String> types = new ArrayList<>();
      for (ProviderFactory f : ServiceLoader.load(ProviderFactory.class)) {
        types.add(f.type());
      }
      assertThat(types).contains(type);
    }
  }

  /** Closing. */
  @Nested
  class Lifecycle {
    @Test
    void closeIsIdempotent() {
      AiProvider p = createProvider();
      assertThatCode(() -> {
        p.close();
        p.close();
      }).doesNotThrowAnyException();
    }
  }
}
