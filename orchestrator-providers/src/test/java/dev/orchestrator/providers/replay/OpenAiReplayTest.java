package dev.orchestrator.providers.replay;

import static dev.orchestrator.providers.replay.Replay.assertCost;
import static dev.orchestrator.providers.Calls.failure;
import static dev.orchestrator.providers.Calls.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.OpenAiProviderFactory;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderException.Billing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recorded Chat Completions replies, whole and streamed, each costed by hand from OpenAI's price page (the rates in
 * pricing.json, USD per million tokens). {@code prompt_tokens} and {@code completion_tokens} are totals: the details
 * only say which rate each part is billed at.
 */
class OpenAiReplayTest {
  private final Replay replay = new Replay(new OpenAiProviderFactory(), "openai", "/v1", "OPENAI_API_KEY");

  @AfterEach
  void close() {
    replay.close();
  }

  private void wholeAndStreamed(String name, String model, TokenUsage usage, String dollars) throws Exception {
    assertCost(get(replay.whole(name, model)), usage, dollars);
    assertCost(get(replay.streamed(name, model)), usage, dollars);
    assertThat(new ObjectMapper().readTree(replay.server.lastRequest().body()).at("/stream_options/include_usage")
        .asBoolean()).as("a stream asks for its usage").isTrue();
  }

  @Test
  void plain() throws Exception {
    // gpt-4o-mini: 1200 in x 0.15 + 300 out x 0.60 = 180 + 180 = 360 per million
    wholeAndStreamed("plain", "gpt-4o-mini", TokenUsage.of(1200, 300), "0.00036");
  }

  @Test
  void cachedPromptTokensArePartOfThePromptAndBilledAtTheCachedRate() throws Exception {
    // gpt-4o: (2006 - 1920) uncached x 2.50 + 1920 cached x 1.25 + 300 out x 10.00
    //       = 215 + 2400 + 3000 = 5615 per million
    wholeAndStreamed("cached", "gpt-4o",
        TokenUsage.builder().input(2006).cachedInput(1920).output(300).build(), "0.005615");
  }

  @Test
  void reasoningTokensArePartOfTheCompletion() throws Exception {
    // o4-mini: 75 in x 1.10 + 1186 out (1024 of them reasoning, already inside) x 4.40
    //        = 82.5 + 5218.4 = 5300.9 per million
    wholeAndStreamed("reasoning", "o4-mini",
        TokenUsage.builder().input(75).output(1186).reasoning(1024).build(), "0.0053009");
  }

  @Test
  void audioTokensAreBilledAtTheAudioRates() throws Exception {
    // gpt-4o-audio-preview: (1000 - 700) text in x 2.50 + 700 audio in x 40.00
    //                     + (500 - 400) text out x 10.00 + 400 audio out x 80.00
    //                     = 750 + 28000 + 1000 + 32000 = 61750 per million
    wholeAndStreamed("audio", "gpt-4o-audio-preview",
        TokenUsage.builder().input(1000).audioInput(700).output(500).audioOutput(400).build(), "0.06175");
  }

  @Test
  void rejectedPredictionTokensAreBilledAsOutput() throws Exception {
    // gpt-4o with a predicted output: 500 in x 2.50 + 180 out x 10.00, where the 180 completion tokens already hold
    // the 50 accepted and the 60 rejected prediction tokens (rejected ones are billed though not in the reply)
    //       = 1250 + 1800 = 3050 per million
    wholeAndStreamed("predicted", "gpt-4o", TokenUsage.of(500, 180), "0.00305");
  }

  @Test
  void aStreamCutBeforeItsUsageMayHaveBeenBilled() throws Exception {
    ProviderException e = failure(replay.streamed("cut-before-usage", "gpt-4o"));
    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
    assertThat(e.billing()).isEqualTo(Billing.MAY_HAVE_BILLED);
    assertThat(e.usage()).as("no chunk reported usage").isEqualTo(TokenUsage.NONE);
    assertThat(e.cost()).isEqualTo(Money.ZERO);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aFilteredReplyIsRefusedAndBilledAtItsUsage() throws Exception {
    // gpt-4o-mini: 120 in x 0.15 = 18 per million; nothing generated
    for (boolean stream : new boolean[] {false, true}) {
      ProviderException e = failure(stream ? replay.streamed("content-filter", "gpt-4o-mini")
          : replay.whole("content-filter", "gpt-4o-mini"));
      assertThat(e.kind()).isEqualTo(ErrorKind.CONTENT_REFUSED);
      assertThat(e.retryable()).isFalse();
      assertThat(e.billing()).isEqualTo(Billing.BILLED);
      assertThat(e.usage()).isEqualTo(TokenUsage.of(120, 0));
      assertThat(e.cost()).isEqualTo(Money.usd("0.000018"));
    }
  }
}
