package dev.orchestrator.functional;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.provider.ToolCall;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A provider that answers from a script, each call at once: text, a native {@code ask} tool call, or a failure; with a
 * fixed price per call and worst-case estimate. Records every request.
 */
final class Scripted implements AiProvider {
  private final String name;
  private final boolean tools;
  private final Deque<Function<ProviderRequest, ProviderResponse>> script = new ArrayDeque<>();
  private final List<ProviderRequest> requests = new ArrayList<>();
  private Money price = Money.ZERO;
  private Money worst = Money.ZERO;
  private Function<ProviderRequest, ProviderResponse> otherwise;

  Scripted(String name, boolean tools) {
    this.name = name;
    this.tools = tools;
    this.otherwise = r -> reply(name + " says: fine");
  }

  Scripted priced(String perCall, String worstCase) {
    this.price = Money.usd(perCall);
    this.worst = Money.usd(worstCase);
    return this;
  }

  Scripted then(Function<ProviderRequest, ProviderResponse> reply) {
    script.add(reply);
    return this;
  }

  Scripted text(String text) {
    return then(r -> reply(text));
  }

  /** A native call of the ask tool. */
  Scripted asks(String provider, String question) {
    int n = script.size();
    return then(r -> ProviderResponse.builder().usage(TokenUsage.of(10, 5)).toolCalls(List.of(ToolCall.of(
        "call_" + n, "ask", args(provider, question)))).build());
  }

  Scripted fails(ErrorKind kind) {
    return then(r -> {
      throw new ProviderException(name, kind, "scripted failure");
    });
  }

  Scripted otherwise(Function<ProviderRequest, ProviderResponse> reply) {
    this.otherwise = reply;
    return this;
  }

  static Map<String, String> args(String provider, String question) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("provider", provider);
    m.put("question", question);
    return m;
  }

  ProviderResponse reply(String text) {
    return ProviderResponse.builder().text(text).usage(TokenUsage.of(10, 5)).build();
  }

  List<ProviderRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "scripted";
  }

  @Override
  public boolean supportsTools() {
    return tools;
  }

  @Override
  public synchronized CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
    requests.add(request);
    Function<ProviderRequest, ProviderResponse> next = script.isEmpty() ? otherwise : script.poll();
    try {
      ProviderResponse r = next.apply(request);
      return CompletableFuture.completedFuture(r.toBuilder().cost(price).build());
    } catch (ProviderException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CostEstimate estimate(ProviderRequest request) {
    return worst.isZero() ? CostEstimate.free()
        : CostEstimate.of(TokenUsage.of(10, 10), Money.ZERO, worst, worst, Duration.ofSeconds(1));
  }

  static ErrorKind server() {
    return ErrorKind.SERVER;
  }
}
