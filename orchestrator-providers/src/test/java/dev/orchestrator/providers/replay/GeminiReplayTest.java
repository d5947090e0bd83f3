package dev.orchestrator.providers.replay;

import static dev.orchestrator.providers.replay.Replay.assertCost;
import static dev.orchestrator.providers.Calls.failure;
import static dev.orchestrator.providers.Calls.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.GeminiProviderFactory;
import dev.orchestrator.providers.StubServer;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderException.Billing;
import dev.orchestrator.spi.provider.ProviderRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recorded generateContent and streamGenerateContent replies, each costed by hand from Google's price page (the rates
 * in pricing.json, USD per million tokens; gemini-2.5-flash: input 0.30, output 2.50, cached 0.03, audio input 1.00;
 * gemini-2.5-pro: input 1.25, output 10.00, cached 0.125, and above 200K input 2.50, 15.00, 0.25).
 * {@code candidatesTokenCount} leaves the thoughts out and {@code promptTokenCount} leaves tool-use prompt tokens out:
 * both are added.
 */
class GeminiReplayTest {
  private static final String FLASH = "gemini-2.5-flash";
  private static final String PRO = "gemini-2.5-pro";
  private final Replay replay = new Replay(new GeminiProviderFactory(), "gemini", "/v1beta", "GEMINI_API_KEY");

  @AfterEach
  void close() {
    replay.close();
  }

  private void wholeAndStreamed(String name, String model, TokenUsage usage, String dollars) throws Exception {
    assertCost(get(replay.whole(name, model)), usage, dollars);
    assertCost(get(replay.streamed(name, model)), usage, dollars);
  }

  @Test
  void thoughtsAreBilledAsOutputAndAStreamKeepsItsLastCumulativeUsage() throws Exception {
    // 100 in x 0.30 + (200 candidates + 800 thoughts) out x 2.50 = 30 + 2500 = 2530 per million
    wholeAndStreamed("thinking", FLASH, TokenUsage.builder().input(100).output(1000).reasoning(800).build(),
        "0.00253");
  }

  @Test
  void anImplicitCacheHitIsPartOfThePromptAndBilledAtTheCachedRate() throws Exception {
    // (5000 - 4096) uncached x 0.30 + 4096 cached x 0.03 + 150 out x 2.50 = 271.2 + 122.88 + 375 = 769.08 per million
    wholeAndStreamed("implicit-cache", FLASH, TokenUsage.builder().input(5000).cachedInput(4096).output(150).build(),
        "0.00076908");
  }

  @Test
  void aboveTwoHundredThousandPromptTokensEveryTokenIsBilledAtTheLongContextRates() throws Exception {
    // 250000 in x 2.50 + (2000 + 3000 thoughts) out x 15.00 = 625000 + 75000 = 700000 per million
    wholeAndStreamed("long-context", PRO, TokenUsage.builder().input(250000).output(5000).reasoning(3000).build(),
        "0.7");
  }

  @Test
  void aboveTwoHundredThousandWithACacheHitCachedTokensTakeTheLongContextCachedRate() throws Exception {
    // (240000 - 180000) uncached x 2.50 + 180000 cached x 0.25 + (1000 + 500 thoughts) out x 15.00
    //   = 150000 + 45000 + 22500 = 217500 per million
    wholeAndStreamed("long-context-cached", PRO,
        TokenUsage.builder().input(240000).cachedInput(180000).output(1500).reasoning(500).build(), "0.2175");
  }

  @Test
  void toolUsePromptTokensAreInputBilledAtTheInputRate() throws Exception {
    // (300 prompt + 1200 tool-use prompt) in x 0.30 + (100 + 50 thoughts) out x 2.50 = 450 + 375 = 825 per million
    wholeAndStreamed("tool-use", FLASH, TokenUsage.builder().input(1500).output(150).reasoning(50).build(),
        "0.000825");
  }

  @Test
  void audioPromptTokensAreBilledAtTheAudioRate() throws Exception {
    // 200 text in x 0.30 + 1000 audio in x 1.00 + 100 out x 2.50 = 60 + 1000 + 250 = 1310 per million
    assertCost(get(replay.whole("audio", FLASH)),
        TokenUsage.builder().input(1200).audioInput(1000).output(100).build(), "0.00131");
  }

  @Test
  void aReplyBlockedForSafetyIsRefusedAndBilledAtItsUsage() throws Exception {
    // 50 in x 0.30 = 15 per million
    for (boolean stream : new boolean[] {false, true}) {
      ProviderException e = failure(stream ? replay.streamed("safety", FLASH) : replay.whole("safety", FLASH));
      assertThat(e.kind()).isEqualTo(ErrorKind.CONTENT_REFUSED);
      assertThat(e.retryable()).isFalse();
      assertThat(e.billing()).isEqualTo(Billing.BILLED);
      assertThat(e.usage()).isEqualTo(TokenUsage.of(50, 0));
      assertThat(e.cost()).isEqualTo(Money.usd("0.000015"));
    }
  }

  @Test
  void aBlockedPromptIsRefusedAndBilledAtItsUsage() throws Exception {
    // 80 in x 0.30 = 24 per million
    ProviderException e = failure(replay.whole("prompt-blocked", FLASH));
    assertThat(e.kind()).isEqualTo(ErrorKind.CONTENT_REFUSED);
    assertThat(e.billing()).isEqualTo(Billing.BILLED);
    assertThat(e.usage()).isEqualTo(TokenUsage.of(80, 0));
    assertThat(e.cost()).isEqualTo(Money.usd("0.000024"));
  }

  @Test
  void aStreamCutBeforeItsFinishMayHaveBeenBilledAtLeastItsLastUsage() throws Exception {
    ProviderException e = failure(replay.streamed("cut", FLASH));
    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
    assertThat(e.billing()).isEqualTo(Billing.MAY_HAVE_BILLED);
    assertThat(e.usage()).isEqualTo(TokenUsage.builder().input(100).output(840).reasoning(800).build());
    // 100 in x 0.30 + (40 + 800 thoughts) out x 2.50 = 30 + 2100 = 2130 per million
    assertThat(e.cost()).isEqualTo(Money.usd("0.00213"));
  }

  @Test
  void aReplyThatIsNotJsonAfterAnOkStatusMayHaveBeenBilled() throws Exception {
    replay.server.enqueue(StubServer.json(200, "{\"candidates\": [{\"content\": "));
    ProviderException e = failure(replay.provider(FLASH, false).complete(ProviderRequest.of("hi"), Replay.CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
    assertThat(e.billing()).isEqualTo(Billing.MAY_HAVE_BILLED);
  }

  @Test
  void aRateLimitStatusIsNotBilled() throws Exception {
    replay.server.enqueue(StubServer.json(429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted"
        + "\",\"status\":\"RESOURCE_EXHAUSTED\"}}"));
    ProviderException e = failure(replay.provider(FLASH, false).complete(ProviderRequest.of("hi"), Replay.CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryable()).isTrue();
    assertThat(e.billing()).isEqualTo(Billing.NOT_BILLED);
  }

  @Test
  void aConnectionThatCannotBeOpenedIsNotBilled() throws Exception {
    StubServer gone = new StubServer();
    String url = gone.url("/v1beta");
    gone.close();
    ProviderException e = failure(replay.provider(FLASH, false, "baseUrl", url)
        .complete(ProviderRequest.of("hi"), Replay.CALL));
    assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
    assertThat(e.retryable()).isTrue();
    assertThat(e.billing()).isEqualTo(Billing.NOT_BILLED);
  }
}
