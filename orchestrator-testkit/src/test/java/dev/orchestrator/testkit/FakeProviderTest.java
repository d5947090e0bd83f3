package dev.orchestrator.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.FakeProvider.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FakeProviderTest extends ProviderContract {
  @Override
  protected AiProvider createProvider() {
    return FakeProvider.echo("fake");
  }

  @Override
  protected AiProvider createFailingProvider(ErrorKind kind) {
    return FakeProvider.builder("fake").script(Reply.failure(kind)).build();
  }

  @Override
  protected AiProvider createHangingProvider() {
    return FakeProvider.builder("fake").script(Reply.hang()).build();
  }

  private static final CallContext CTX = CallContext.of("p", "r", "t", 1);

  @Test
  void repliesArriveWhenVirtualTimeReachesTheLatency() {
    ManualScheduler scheduler = new ManualScheduler(MutableClock.create());
    FakeProvider fake = FakeProvider.builder("slow").scheduler(scheduler).latency(Duration.ofSeconds(30)).build();
    CompletableFuture<ProviderResponse> f = fake.complete(ProviderRequest.of("hi"), CTX);
    scheduler.advance(Duration.ofSeconds(29));
    assertThat(f).isNotDone();
    assertThat(fake.inFlight()).isEqualTo(1);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(f).isCompleted();
    assertThat(f.join().text()).isEqualTo("slow: hi");
    assertThat(fake.inFlight()).isZero();
  }

  @Test
  void cancellingAVirtualTimeCallDropsItsTimer() {
    ManualScheduler scheduler = new ManualScheduler(MutableClock.create());
    FakeProvider fake = FakeProvider.builder("slow").scheduler(scheduler).latency(Duration.ofSeconds(30)).build();
    CompletableFuture<ProviderResponse> f = fake.complete(ProviderRequest.of("hi"), CTX);
    f.cancel(true);
    assertThat(scheduler.pending()).isZero();
    assertThat(fake.cancelledCount()).isEqualTo(1);
  }

  @Test
  void followsTheScriptThenEchoes() {
    FakeProvider fake = FakeProvider.builder("f").script(Reply.text("one"), Reply.failure(ErrorKind.TIMEOUT)).build();
    assertThat(fake.complete(ProviderRequest.of("a"), CTX).join().text()).isEqualTo("one");
    assertThat(fake.complete(ProviderRequest.of("b"), CTX)).isCompletedExceptionally();
    assertThat(fake.complete(ProviderRequest.of("c"), CTX).join().text()).isEqualTo("f: c");
    assertThat(fake.requests()).extracting(ProviderRequest::prompt).containsExactly("a", "b", "c");
  }

  @Test
  void randomFailuresAreReproducibleFromTheSeed() {
    FakeProvider a = FakeProvider.builder("f").randomFailures(0.5, ErrorKind.SERVER, 42).build();
    FakeProvider b = FakeProvider.builder("f").randomFailures(0.5, ErrorKind.SERVER, 42).build();
    StringBuilder sa = new StringBuilder();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      sa.append(a.complete(ProviderRequest.of("x"), CTX).isCompletedExceptionally() ? 'x' : '.');
      sb.append(b.complete(ProviderRequest.of("x"), CTX).isCompletedExceptionally() ? 'x' : '.');
    }
    assertThat(sa.toString()).isEqualTo(sb.toString()).contains("x").contains(".");
  }
}
