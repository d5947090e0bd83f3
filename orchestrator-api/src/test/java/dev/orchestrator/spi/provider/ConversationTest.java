package dev.orchestrator.spi.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConversationTest {
  private final ToolCall ask = ToolCall.of("c1", "ask", Map.of("provider", "claude"));

  @Test
  void aPlainRequestIsItsSystemAndOneUserTurn() {
    ProviderRequest r = ProviderRequest.builder().prompt("Hi").system("Be terse.").build();
    assertThat(r.isConversation()).isFalse();
    assertThat(r.messages()).containsExactly(Message.system("Be terse."), Message.user("Hi"));
    assertThat(r.tools()).isEmpty();
  }

  @Test
  void aConversationFillsPromptAndSystemForSinglePromptProviders() {
    ProviderRequest r = ProviderRequest.builder().messages(List.of(Message.system("Write copy."),
        Message.user("Draft a post."), Message.assistant("", List.of(ask)), Message.toolResult(ask, "Warmer."),
        Message.assistant("A warm post."))).build();
    assertThat(r.isConversation()).isTrue();
    assertThat(r.system()).isEqualTo("Write copy.");
    assertThat(r.prompt()).isEqualTo("User:\nDraft a post.\n\nAssistant:\n(called ask with provider=claude)\n\n"
        + "Result of ask:\nWarmer.\n\nAssistant:\nA warm post.");
    assertThat(r.messages()).hasSize(5);
    assertThat(r.toBuilder().build()).isEqualTo(r);
  }

  @Test
  void aLoneUserTurnIsItsTextAndASeparateSystemLeadsTheMessages() {
    ProviderRequest r = ProviderRequest.builder().system("S").messages(List.of(Message.user("Hi"))).build();
    assertThat(r.prompt()).isEqualTo("Hi");
    assertThat(r.messages()).containsExactly(Message.system("S"), Message.user("Hi"));
  }

  @Test
  void aToolResultMustFollowItsCall() {
    assertThatThrownBy(() -> ProviderRequest.builder().messages(List.of(Message.toolResult(ask, "x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'c1'");
  }

  @Test
  void responsesCarryToolCallsAndToolValuesCheckTheirNames() {
    ProviderResponse r = ProviderResponse.builder().toolCalls(List.of(ask)).build();
    assertThat(r.toolCalls()).containsExactly(ask);
    assertThat(r.toBuilder().build()).isEqualTo(r);
    assertThat(ask.argument("question")).isEmpty();
    assertThatThrownBy(() -> ToolSpec.of("ask me", "d", Map.of())).hasMessageContaining("'ask me'");
    assertThatThrownBy(() -> ToolCall.of(" ", "ask", Map.of())).hasMessageContaining("id must not be blank");
  }
}
