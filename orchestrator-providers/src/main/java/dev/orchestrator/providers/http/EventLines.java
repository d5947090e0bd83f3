package dev.orchestrator.providers.http;

import dev.orchestrator.providers.http.HttpProvider.StreamAssembler;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Feeds a streamed reply's lines to its assembler and completes the call when the stream ends. A stream that fails
 * ends the call with the usage it reported so far, so a cut stream is never costed as free.
 */
final class EventLines implements Flow.Subscriber<String> {
  private final StreamAssembler assembler;
  private final SseParser parser;
  private final CompletableFuture<ProviderResponse> out;
  private final AtomicReference<Flow.@Nullable Subscription> subscription;
  private final UnaryOperator<ProviderException> withUsageSoFar;
  private final Function<Exception, ProviderException> unreadable;
  private final Function<Throwable, ProviderException> broken;

  /**
   * @param withUsageSoFar adds the usage the stream reported so far to a failure
   * @param unreadable the failure for an event that could not be read
   * @param broken the failure for a connection that broke
   */
  EventLines(StreamAssembler assembler, CompletableFuture<ProviderResponse> out,
      AtomicReference<Flow.@Nullable Subscription> subscription, UnaryOperator<ProviderException> withUsageSoFar,
      Function<Exception, ProviderException> unreadable, Function<Throwable, ProviderException> broken) {
    this.assembler = assembler;
    this.parser = new SseParser(assembler::onEvent);
    this.out = out;
    this.subscription = subscription;
    this.withUsageSoFar = withUsageSoFar;
    this.unreadable = unreadable;
    this.broken = broken;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription.set(s);
    if (out.isDone()) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(String line) {
    if (out.isDone()) {
      return;
    }
    try {
      parser.line(line);
    } catch (ProviderException e) {
      out.completeExceptionally(withUsageSoFar.apply(e));
    } catch (Exception e) {
      out.completeExceptionally(withUsageSoFar.apply(unreadable.apply(e)));
    }
  }

  @Override
  public void onError(Throwable t) {
    out.completeExceptionally(withUsageSoFar.apply(broken.apply(t)));
  }

  @Override
  public void onComplete() {
    if (out.isDone()) {
      return;
    }
    try {
      parser.end();
      out.complete(assembler.finish());
    } catch (ProviderException e) {
      out.completeExceptionally(withUsageSoFar.apply(e));
    } catch (Exception e) {
      out.completeExceptionally(withUsageSoFar.apply(unreadable.apply(e)));
    }
  }
}
