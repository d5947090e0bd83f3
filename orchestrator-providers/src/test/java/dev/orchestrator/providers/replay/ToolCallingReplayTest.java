package dev.orchestrator.providers.replay;

import static dev.orchestrator.providers.Calls.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.providers.AnthropicProviderFactory;
import dev.orchestrator.providers.GeminiProviderFactory;
import dev.orchestrator.providers.OpenAiProviderFactory;
import dev.orchestrator.providers.StubServer;
import dev.orchestrator.providers.http.Json;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.Message;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.provider.ToolCall;
import dev.orchestrator.spi.provider.ToolSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Conversations and native tool calling against each vendor's documented shapes: the request a conversation with a
 * tool call and its result becomes (OpenAI's {@code tool_calls} and {@code tool} messages, Anthropic's
 * {@code tool_use} and {@code tool_result} blocks, Gemini's {@code functionCall} and {@code functionResponse} parts),
 * and recorded replies that call a tool, whole and streamed.
 */
class ToolCallingReplayTest {
  static final ToolSpec ASK = ToolSpec.of("ask", "Ask another AI a question and get its answer",
      params("provider", "who to ask", "question", "the question"));
  static final String QUESTION = "Does this tone match our brand voice?";

  static Map<String, String> params(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /** system, user, an assistant turn that asks, the answer, and the tools. */
  static ProviderRequest conversation(String callId) {
    ToolCall call = ToolCall.of(callId, "ask", params("provider", "claude", "question", QUESTION));
    return ProviderRequest.builder().messages(List.of(
        Message.system("You write marketing copy."),
        Message.user("Draft a launch post."),
        Message.assistant("", List.of(call)),
        Message.toolResult(call, "Too formal; be warmer.")))
        .tools(List.of(ASK)).build();
  }

  static JsonNode json(String text) throws Exception {
    return Json.read(text);
  }

  static JsonNode sent(Replay replay) throws Exception {
    return Json.read(replay.server.lastRequest().body());
  }

  static void assertAsks(ProviderResponse r, String id, String provider) {
    assertThat(r.toolCalls()).containsExactly(ToolCall.of(id, "ask", params("provider", provider, "question",
        QUESTION)));
  }

  abstract static class Vendor {
    final Replay replay;
    final String model;

    Vendor(Replay replay, String model) {
      this.replay = replay;
      this.model = model;
    }

    @AfterEach
    void close() {
      replay.close();
    }

    ProviderResponse whole(String file, ProviderRequest request) throws Exception {
      replay.server.enqueue(StubServer.json(200, replay.resource(file)));
      return get(provider(false).complete(request, Replay.CALL));
    }

    ProviderResponse streamed(String file, ProviderRequest request) throws Exception {
      replay.server.enqueue(new StubServer.Events(replay.events(file)));
      return get(provider(true).complete(request, Replay.CALL));
    }

    AiProvider provider(boolean stream) {
      return replay.provider(model, stream);
    }
  }

  @Nested
  class OpenAi extends Vendor {
    OpenAi() {
      super(new Replay(new OpenAiProviderFactory(), "openai", "/v1", "OPENAI_API_KEY"), "gpt-4o-mini");
    }

    @Test
    void aConversationIsSentAsMessagesWithToolCallsToolResultsAndFunctionTools() throws Exception {
      assertThat(provider(false).supportsTools()).isTrue();
      whole("tool-call.json", conversation("call_abc123"));
      JsonNode body = sent(replay);
      assertThat(body.get("messages")).isEqualTo(json("""
          [{"role":"system","content":"You write marketing copy."},
           {"role":"user","content":"Draft a launch post."},
           {"role":"assistant","content":null,"tool_calls":[{"id":"call_abc123","type":"function",
             "function":{"name":"ask","arguments":"{\\"provider\\":\\"claude\\",\\"question\\":\\"Does this tone match our brand voice?\\"}"}}]},
           {"role":"tool","tool_call_id":"call_abc123","content":"Too formal; be warmer."}]"""));
      assertThat(body.get("tools")).isEqualTo(json("""
          [{"type":"function","function":{"name":"ask","description":"Ask another AI a question and get its answer",
            "parameters":{"type":"object","properties":{"provider":{"type":"string","description":"who to ask"},
              "question":{"type":"string","description":"the question"}},"required":["provider","question"]}}}]"""));
    }

    @Test
    void aReplysToolCallsAreReadWholeAndStreamedInPieces() throws Exception {
      ProviderResponse whole = whole("tool-call.json", ProviderRequest.of("Draft a launch post."));
      assertAsks(whole, "call_abc123", "claude");
      assertThat(whole.text()).isEmpty();
      assertThat(whole.usage().inputTokens()).isEqualTo(120);
      assertAsks(streamed("tool-call.sse", ProviderRequest.of("Draft a launch post.")), "call_abc123", "claude");
    }

    @Test
    void aPlainPromptIsSentAsBeforeWithoutTools() throws Exception {
      whole("plain.json", ProviderRequest.builder().prompt("Hi").system("Be terse.").build());
      JsonNode body = sent(replay);
      assertThat(body.get("messages")).isEqualTo(json("""
          [{"role":"system","content":"Be terse."},{"role":"user","content":"Hi"}]"""));
      assertThat(body.has("tools")).isFalse();
    }
  }

  @Nested
  class Anthropic extends Vendor {
    Anthropic() {
      super(new Replay(new AnthropicProviderFactory(), "anthropic", "", "ANTHROPIC_API_KEY"), "claude-sonnet-4-5");
    }

    @Test
    void aConversationIsSentAsToolUseAndToolResultBlocksWithInputSchemas() throws Exception {
      assertThat(provider(false).supportsTools()).isTrue();
      whole("tool-use.json", conversation("toolu_01A09q90qw90lq917835lq9"));
      JsonNode body = sent(replay);
      assertThat(body.get("system").asText()).isEqualTo("You write marketing copy.");
      assertThat(body.get("messages")).isEqualTo(json("""
          [{"role":"user","content":[{"type":"text","text":"Draft a launch post."}]},
           {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"ask",
             "input":{"provider":"claude","question":"Does this tone match our brand voice?"}}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9",
             "content":"Too formal; be warmer."}]}]"""));
      assertThat(body.get("tools")).isEqualTo(json("""
          [{"name":"ask","description":"Ask another AI a question and get its answer",
            "input_schema":{"type":"object","properties":{"provider":{"type":"string","description":"who to ask"},
              "question":{"type":"string","description":"the question"}},"required":["provider","question"]}}]"""));
    }

    @Test
    void aReplysToolUseBlocksAreReadWholeAndFromInputJsonDeltas() throws Exception {
      ProviderResponse whole = whole("tool-use.json", ProviderRequest.of("Draft a launch post."));
      assertAsks(whole, "toolu_01A09q90qw90lq917835lq9", "chatgpt");
      assertThat(whole.text()).isEqualTo("Let me check the tone.");
      ProviderResponse streamed = streamed("tool-use.sse", ProviderRequest.of("Draft a launch post."));
      assertAsks(streamed, "toolu_01A09q90qw90lq917835lq9", "chatgpt");
      assertThat(streamed.text()).isEqualTo("Let me check the tone.");
      assertThat(streamed.usage()).isEqualTo(whole.usage());
    }
  }

  @Nested
  class Gemini extends Vendor {
    Gemini() {
      super(new Replay(new GeminiProviderFactory(), "gemini", "/v1beta", "GEMINI_API_KEY"), "gemini-2.5-flash");
    }

    @Test
    void aConversationIsSentAsFunctionCallAndFunctionResponseParts() throws Exception {
      assertThat(provider(false).supportsTools()).isTrue();
      whole("function-call.json", conversation("gemini-call-0"));
      JsonNode body = sent(replay);
      assertThat(body.get("systemInstruction")).isEqualTo(json("""
          {"parts":[{"text":"You write marketing copy."}]}"""));
      assertThat(body.get("contents")).isEqualTo(json("""
          [{"role":"user","parts":[{"text":"Draft a launch post."}]},
           {"role":"model","parts":[{"functionCall":{"name":"ask",
             "args":{"provider":"claude","question":"Does this tone match our brand voice?"}}}]},
           {"role":"user","parts":[{"functionResponse":{"name":"ask",
             "response":{"result":"Too formal; be warmer."}}}]}]"""));
      assertThat(body.get("tools")).isEqualTo(json("""
          [{"functionDeclarations":[{"name":"ask","description":"Ask another AI a question and get its answer",
            "parameters":{"type":"object","properties":{"provider":{"type":"string","description":"who to ask"},
              "question":{"type":"string","description":"the question"}},"required":["provider","question"]}}]}]"""));
    }

    @Test
    void anIdTheApiSentIsSentBack() throws Exception {
      whole("function-call.json", conversation("fc-1"));
      JsonNode contents = sent(replay).get("contents");
      assertThat(contents.get(1).at("/parts/0/functionCall/id").asText()).isEqualTo("fc-1");
      assertThat(contents.get(2).at("/parts/0/functionResponse/id").asText()).isEqualTo("fc-1");
    }

    @Test
    void aReplysFunctionCallsAreReadWholeAndStreamed() throws Exception {
      assertAsks(whole("function-call.json", ProviderRequest.of("Draft a launch post.")), "gemini-call-0", "claude");
      assertAsks(streamed("function-call.sse", ProviderRequest.of("Draft a launch post.")), "gemini-call-0",
          "claude");
    }
  }
}
