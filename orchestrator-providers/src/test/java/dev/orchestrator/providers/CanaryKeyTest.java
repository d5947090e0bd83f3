package dev.orchestrator.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary key goes through every path a key can leak by (successes, streams, every error including a 401 that
 * echoes the key, time-outs, broken connections, estimates, configuration) and is then searched for in everything
 * captured: messages and stack traces of every exception and cause, every {@code toString()}, and the log file all
 * tests write to at TRACE level.
 */
class CanaryKeyTest {
  static final String CANARY = "canary-KEY-9d41f7c3b2a8e6";
  static final CallContext CALL = CallContext.of("canary", "run-1", "task-1", 1);

  final MutableClock clock = MutableClock.create();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final List<String> captured = new ArrayList<>();

  @Test
  void theKeyNeverAppearsAnywhere(@TempDir Path dir) throws Exception {
    exercise(new OpenAiProviderFactory(), "/v1", "OPENAI_API_KEY",
        StubServer.json(200, OpenAiProviderTest.COMPLETION), StubServer.events(OpenAiProviderTest.streamed()),
        StubServer.json(401, OpenAiProviderTest.error("Incorrect API key provided: " + CANARY + ".",
            "invalid_request_error", "invalid_api_key")));
    exercise(new AnthropicProviderFactory(), "", "ANTHROPIC_API_KEY",
        StubServer.json(200, AnthropicProviderTest.MESSAGE), StubServer.events(AnthropicProviderTest.streamed()),
        StubServer.json(401, AnthropicProviderTest.error("authentication_error", "invalid x-api-key " + CANARY)));
    exercise(new GeminiProviderFactory(), "/v1beta", "GEMINI_API_KEY",
        StubServer.json(200, GeminiProviderTest.RESPONSE), StubServer.json(200, GeminiProviderTest.RESPONSE),
        StubServer.json(400, GeminiProviderTest.error(400, "INVALID_ARGUMENT", "API key not valid: " + CANARY,
            "{\"reason\":\"API_KEY_INVALID\"}")));

    Path leaky = dir.resolve("leaky.sh");
    Files.writeString(leaky, "#!/bin/sh\necho \"auth failed for key $AGENT_API_KEY\" >&2\nexit 1\n");
    Files.setPosixFilePermissions(leaky, PosixFilePermissions.fromString("rwx------"));
    AiProvider cli = new CliProviderFactory().create(new PluginConfig("canary-cli", "cli",
        Map.of("command", leaky.toString(), "env.AGENT_API_KEY", CANARY)), context(Map.of()));
    record(cli);
    record(cli.complete(ProviderRequest.of("hi"), CALL));

    PluginConfig config = new PluginConfig("canary-direct", "openai", Map.of("apiKey", CANARY));
    captured.add(config.toString());

    String log = Files.readString(Path.of("target/provider-tests.log"));
    assertThat(log).as("the log captured this test's calls").contains("provider=canary-openai")
        .contains("provider=canary-anthropic").contains("provider=canary-gemini");
    captured.add(log);
    assertThat(captured).hasSizeGreaterThan(40);
    for (String text : captured) {
      assertThat(text).doesNotContain(CANARY);
    }
  }

  private void exercise(ProviderFactory factory, String basePath, String env, StubServer.Reply ok,
      StubServer.Reply streamed, StubServer.Reply unauthorized) throws Exception {
    try (StubServer server = new StubServer()) {
      Map<String, String> props = new HashMap<>(Map.of("baseUrl", server.url(basePath), "timeout", "1m"));
      PluginContext context = context(Map.of(env, CANARY));
      AiProvider p = factory.create(new PluginConfig("canary-" + factory.type(), factory.type(), props), context);
      props.put("stream", "true");
      AiProvider s = factory.create(new PluginConfig("canary-" + factory.type(), factory.type(), props), context);
      record(p);
      record(s);
      captured.add(p.estimate(ProviderRequest.of("hi")).toString());
      server.enqueue(ok);
      record(p.complete(ProviderRequest.of("hi"), CALL));
      server.enqueue(streamed);
      record(s.complete(ProviderRequest.of("hi"), CALL));
      server.enqueue(unauthorized, StubServer.json(429, "{}", "retry-after", "3"), StubServer.json(500, "oops"),
          StubServer.json(200, "{not json"));
      for (int i = 0; i < 4; i++) {
        record(p.complete(ProviderRequest.of("hi"), CALL));
      }
      server.enqueue(new StubServer.Hang());
      CompletableFuture<ProviderResponse> slow = p.complete(ProviderRequest.of("hi"), CALL);
      scheduler.advance(Duration.ofMinutes(1));
      record(slow);
      for (StubServer.Recorded r : server.requests()) {
        captured.add(r.path() + "?" + r.query()); // the key never travels in a URL
      }
    }
    AiProvider gone = factory.create(new PluginConfig("canary-" + factory.type(), factory.type(),
        Map.of("baseUrl", "http://127.0.0.1:9/x")), context(Map.of(env, CANARY)));
    record(gone.complete(ProviderRequest.of("hi"), CALL));
  }

  private PluginContext context(Map<String, String> env) {
    return PluginContext.of(clock, scheduler, env::get);
  }

  private void record(Object o) {
    captured.add(String.valueOf(o));
  }

  private void record(CompletableFuture<ProviderResponse> f) throws Exception {
    try {
      captured.add(f.get(10, TimeUnit.SECONDS).toString());
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      captured.add(trace.toString());
      for (Throwable c = t; c != null; c = c.getCause()) {
        captured.add(String.valueOf(c.getMessage()));
        captured.add(c.toString());
      }
    }
  }
}
