package dev.orchestrator.providers.replay;

import static dev.orchestrator.providers.replay.Replay.assertCost;
import static dev.orchestrator.providers.Calls.failure;
import static dev.orchestrator.providers.Calls.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.AnthropicProviderFactory;
import dev.orchestrator.providers.StubServer;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderException.Billing;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recorded Messages API replies, whole and streamed, each costed by hand from Anthropic's price page (the rates in
 * pricing.json, USD per million tokens; claude-sonnet-4-5: input 3.00, output 15.00, cache read 0.30, 5-minute write
 * 3.75, 1-hour write 6.00; above 200K input 6.00, 22.50, 0.60, 7.50, 12.00). {@code input_tokens} leaves cache reads
 * and writes out, so the normalised input is the three added.
 */
class AnthropicReplayTest {
  private static final String MODEL = "claude-sonnet-4-5";
  private final Replay replay = new Replay(new AnthropicProviderFactory(), "anthropic", "", "ANTHROPIC_API_KEY");

  @AfterEach
  void close() {
    replay.close();
  }

  private void wholeAndStreamed(String name, TokenUsage usage, String dollars) throws Exception {
    assertCost(get(replay.whole(name, MODEL)), usage, dollars);
    assertCost(get(replay.streamed(name, MODEL)), usage, dollars);
  }

  @Test
  void plain() throws Exception {
    // 1200 in x 3.00 + 400 out x 15.00 = 3600 + 6000 = 9600 per million
    wholeAndStreamed("plain", TokenUsage.of(1200, 400), "0.0096");
  }

  @Test
  void aFiveMinuteCacheWriteIsBilledAtItsRate() throws Exception {
    // 30 in x 3.00 + 4000 written for 5 minutes x 3.75 + 250 out x 15.00 = 90 + 15000 + 3750 = 18840 per million
    wholeAndStreamed("write-5m", TokenUsage.builder().input(4030).cacheWrite(4000).output(250).build(), "0.01884");
  }

  @Test
  void oneHourAndFiveMinuteWritesAreBilledEachAtItsRate() throws Exception {
    // 20 in x 3.00 + 2000 written for 5 minutes x 3.75 + 4000 written for 1 hour x 6.00 + 300 out x 15.00
    //   = 60 + 7500 + 24000 + 4500 = 36060 per million
    wholeAndStreamed("write-1h-and-5m",
        TokenUsage.builder().input(6020).cacheWrite(6000).cacheWrite1h(4000).output(300).build(), "0.03606");
  }

  @Test
  void aCacheReadIsBilledAtTheReadRate() throws Exception {
    // 25 in x 3.00 + 8000 read x 0.30 + 200 out x 15.00 = 75 + 2400 + 3000 = 5475 per million
    wholeAndStreamed("cache-read", TokenUsage.builder().input(8025).cachedInput(8000).output(200).build(),
        "0.005475");
  }

  @Test
  void thinkingIsInsideOutputAndStreamedCountsAreCumulative() throws Exception {
    // 40 in x 3.00 + 1500 out (thinking included) x 15.00 = 120 + 22500 = 22620 per million. The stream's
    // message_start says 40 in and 1 out, its message_delta 40 in and 1500 out: the latest counts, never a sum
    wholeAndStreamed("thinking", TokenUsage.of(40, 1500), "0.02262");
  }

  @Test
  void aboveTwoHundredThousandInputTokensEveryTokenIsBilledAtTheLongContextRates() throws Exception {
    // input_tokens 150000 is below the threshold, but with the 60000 cache reads the input is 210000 > 200000:
    // 150000 in x 6.00 + 60000 read x 0.60 + 1000 out x 22.50 = 900000 + 36000 + 22500 = 958500 per million
    wholeAndStreamed("long-context", TokenUsage.builder().input(210000).cachedInput(60000).output(1000).build(),
        "0.9585");
  }

  @Test
  void aStreamCutAfterMessageStartMayHaveBeenBilledAtLeastItsInput() throws Exception {
    ProviderException e = failure(replay.streamed("cut-after-message-start", MODEL));
    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
    assertThat(e.billing()).isEqualTo(Billing.MAY_HAVE_BILLED);
    assertThat(e.usage()).isEqualTo(TokenUsage.builder().input(3500).cachedInput(1000).output(1).build());
    // 2500 in x 3.00 + 1000 read x 0.30 + 1 out x 15.00 = 7500 + 300 + 15 = 7815 per million
    assertThat(e.cost()).isEqualTo(Money.usd("0.007815"));
  }

  @Test
  void aTimeoutAfterTheRequestWasSentMayHaveBeenBilled() throws Exception {
    replay.server.enqueue(new StubServer.Hang());
    CompletableFuture<ProviderResponse> f = replay.provider(MODEL, false, "timeout", "30s")
        .complete(ProviderRequest.of("hi"), Replay.CALL);
    replay.scheduler.advance(Duration.ofSeconds(30));
    ProviderException e = failure(f);
    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(e.retryable()).isTrue();
    assertThat(e.billing()).isEqualTo(Billing.MAY_HAVE_BILLED);
  }

  @Test
  void aRefusalIsBilledAtItsUsage() throws Exception {
    // 300 in x 3.00 + 12 out x 15.00 = 900 + 180 = 1080 per million
    for (boolean stream : new boolean[] {false, true}) {
      ProviderException e = failure(stream ? replay.streamed("refusal", MODEL) : replay.whole("refusal", MODEL));
      assertThat(e.kind()).isEqualTo(ErrorKind.CONTENT_REFUSED);
      assertThat(e.retryable()).isFalse();
      assertThat(e.billing()).isEqualTo(Billing.BILLED);
      assertThat(e.usage()).isEqualTo(TokenUsage.of(300, 12));
      assertThat(e.cost()).isEqualTo(Money.usd("0.00108"));
    }
  }

  @Test
  void anOverloadedStatusIsNotBilled() throws Exception {
    replay.server.enqueue(StubServer.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
        + "\"message\":\"Overloaded\"}}"));
    ProviderException e = failure(replay.provider(MODEL, false).complete(ProviderRequest.of("hi"), Replay.CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
    assertThat(e.retryable()).isTrue();
    assertThat(e.billing()).isEqualTo(Billing.NOT_BILLED);
    assertThat(e.usage()).isEqualTo(TokenUsage.NONE);
  }
}
