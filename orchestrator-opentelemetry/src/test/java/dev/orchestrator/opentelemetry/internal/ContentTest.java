package dev.orchestrator.opentelemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Captured content is valid JSON whatever the text holds. */
class ContentTest {
  @Test
  void quotesQuotesBackslashesAndControlCharacters() {
    assertThat(Content.quote("say \"hi\"\\\n\t\u0001é")).isEqualTo("\"say \\\"hi\\\"\\\\\\n\\t\\u0001é\"");
  }

  @Test
  void wrapsAPromptAsOneUserMessage() {
    assertThat(Content.input("x")).isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"x\"}]}]");
  }
}
