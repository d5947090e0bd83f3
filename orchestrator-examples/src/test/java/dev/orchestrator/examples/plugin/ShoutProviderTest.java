package dev.orchestrator.examples.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.ProviderContract;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The example plugin passes the provider contract, in virtual time. */
class ShoutProviderTest extends ProviderContract {
  static final String KEY = "shout-secret-123456";
  final MutableClock clock = MutableClock.create();
  final ManualScheduler scheduler = new ManualScheduler(clock);

  AiProvider shout(String delay) {
    return new ShoutProviderFactory().create(new PluginConfig("loud", "shout", Map.of("delay", delay)),
        PluginContext.of(clock, scheduler, Map.of("SHOUT_API_KEY", KEY)::get));
  }

  @Override
  protected AiProvider createProvider() {
    return shout("PT2S");
  }

  @Override
  protected @Nullable AiProvider createFailingProvider(ErrorKind kind) {
    return null; // only RATE_LIMITED can be arranged, by prompt; see below
  }

  @Override
  protected AiProvider createHangingProvider() {
    return shout("PT10H"); // virtual time never reaches it unless the test advances
  }

  @Override
  protected String secret() {
    return KEY;
  }

  @Override
  protected String factoryType() {
    return ShoutProviderFactory.TYPE;
  }

  @Override
  protected <T> T await(CompletableFuture<T> future) throws Exception {
    scheduler.runUntilIdle(Duration.ofDays(1));
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  @Test
  void readsItsPropertiesInTheConfigurationGrammar() {
    PluginContext context = PluginContext.of(clock, scheduler, k -> null);
    AiProvider p = new ShoutProviderFactory().create(new PluginConfig("loud", "shout", Map.of("delay", "1m30s",
        "pricePerCall", "$0.002")), context);
    assertThat(p.toString()).contains("delay=PT1M30S");
    assertThat(new ShoutProviderFactory().create(new PluginConfig("loud", "shout", Map.of("delay", "0s")), context)
        .toString()).contains("delay=PT0S");
    assertThatThrownBy(() -> new ShoutProviderFactory().create(new PluginConfig("loud", "shout",
        Map.of("delay", "soon")), context)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("plugin 'loud' (type shout) property 'delay' must be a duration such as 500ms")
        .hasMessageEndingWith("(was 'soon')");
    assertThatThrownBy(() -> new ShoutProviderFactory().create(new PluginConfig("loud", "shout",
        Map.of("pricePerCall", "-1")), context))
        .hasMessageContaining("plugin 'loud' (type shout) property 'pricePerCall' must not be negative");
  }

  @Test
  void shoutsAfterItsDelay() throws Exception {
    CompletableFuture<ProviderResponse> f = shout("PT2S").complete(ProviderRequest.of("hello"),
        CallContext.of("p", "r", "t", 1));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(f).isNotDone();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(f.get().text()).isEqualTo("HELLO");
  }
}
