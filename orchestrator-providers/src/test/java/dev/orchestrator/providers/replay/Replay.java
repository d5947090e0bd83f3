package dev.orchestrator.providers.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.StubServer;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Serves recorded vendor replies ({@code src/test/resources/replay/<vendor>/}) from a local {@link StubServer} to a
 * real provider instance, on virtual time. A {@code .json} file is a whole reply; a {@code .sse} file is the same call
 * streamed, sent one event per write.
 */
final class Replay implements AutoCloseable {
  static final CallContext CALL = CallContext.of("replay", "run-1", "task-1", 1);
  static final String KEY = "replay-key-0123456789abcdef";

  final StubServer server = new StubServer();
  final MutableClock clock = MutableClock.create();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  private final ProviderFactory factory;
  private final String vendor;
  private final String basePath;
  private final String keyEnv;

  Replay(ProviderFactory factory, String vendor, String basePath, String keyEnv) {
    this.factory = factory;
    this.vendor = vendor;
    this.basePath = basePath;
    this.keyEnv = keyEnv;
  }

  /** A provider of the configured model talking to the stub server. */
  AiProvider provider(String model, boolean stream, String... props) {
    Map<String, String> p = new HashMap<>();
    p.put("baseUrl", server.url(basePath));
    p.put("model", model);
    p.put("stream", String.valueOf(stream));
    for (int i = 0; i + 1 < props.length; i += 2) {
      p.put(props[i], props[i + 1]);
    }
    return factory.create(new PluginConfig("replay-" + vendor, factory.type(), p),
        PluginContext.of(clock, scheduler, Map.of(keyEnv, KEY)::get));
  }

  /** Replays the whole reply {@code <name>.json}. */
  CompletableFuture<ProviderResponse> whole(String name, String model) {
    server.enqueue(StubServer.json(200, resource(name + ".json")));
    return provider(model, false).complete(ProviderRequest.of("List the release risks."), CALL);
  }

  /** Replays the streamed reply {@code <name>.sse}. */
  CompletableFuture<ProviderResponse> streamed(String name, String model) {
    server.enqueue(new StubServer.Events(events(name + ".sse")));
    return provider(model, true).complete(ProviderRequest.of("List the release risks."), CALL);
  }

  /** The events of a recorded stream, each with its closing blank line. */
  List<String> events(String file) {
    String text = resource(file);
    String separator = text.contains("\r\n\r\n") ? "\r\n\r\n" : "\n\n";
    List<String> events = new ArrayList<>();
    for (String e : text.split(separator)) {
      if (!e.isBlank()) {
        events.add(e + separator);
      }
    }
    return events;
  }

  String resource(String file) {
    String path = "/replay/" + vendor + "/" + file;
    try (InputStream in = Replay.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no recorded reply " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts a reply's normalised usage and its cost, exactly. */
  static void assertCost(ProviderResponse r, TokenUsage usage, String dollars) {
    assertThat(r.usage()).isEqualTo(usage);
    assertThat(r.cost().amount()).isEqualByComparingTo(dollars);
    assertThat(r.cost()).isEqualTo(Money.usd(dollars));
  }

  @Override
  public void close() {
    server.close();
  }
}
