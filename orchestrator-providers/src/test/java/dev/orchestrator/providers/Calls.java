package dev.orchestrator.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Awaiting a provider call in tests, with a deadline. */
public final class Calls {
  private Calls() {}

  /** The reply, or the call's failure thrown. */
  public static ProviderResponse get(CompletableFuture<ProviderResponse> f) throws Exception {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  /** The call's failure, which must be a {@link ProviderException}. */
  public static ProviderException failure(CompletableFuture<ProviderResponse> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ProviderException.class);
      return (ProviderException) e.getCause();
    }
    throw new AssertionError("the call succeeded but was expected to fail");
  }
}
