package dev.orchestrator.providers.internal.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.HttpErrors;
import dev.orchestrator.providers.http.HealthProbe;
import dev.orchestrator.providers.http.HttpProvider;
import dev.orchestrator.providers.http.Json;
import dev.orchestrator.providers.http.Prompts;
import dev.orchestrator.providers.http.Settings;
import dev.orchestrator.providers.http.ToolJson;
import dev.orchestrator.spi.provider.Message;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.provider.ToolCall;
import dev.orchestrator.spi.provider.ToolSpec;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The Anthropic Messages API ({@code POST {baseUrl}/v1/messages} with {@code x-api-key} and
 * {@code anthropic-version}). Usage counts cache reads and cache writes; a stream is costed from
 * {@code message_start} and the cumulative {@code message_delta} usage.
 *
 * <p>A conversation is sent as the API's messages with native tool use: tools as {@code tools} with an
 * {@code input_schema}, an assistant turn's calls as {@code tool_use} blocks, tool results as {@code tool_result}
 * blocks of the next user message (consecutive results share one message, as the API requires); a reply's
 * {@code tool_use} blocks (whole, or streamed as {@code input_json_delta} pieces) become its tool calls.
 * Thread-safe.
 */
public final class AnthropicProvider extends HttpProvider {
  public static final String TYPE = "anthropic";
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
  public static final String DEFAULT_MODEL = "claude-sonnet-4-5";
  public static final String DEFAULT_VERSION = "2023-06-01";
  public static final String KEY_ENV = "ANTHROPIC_API_KEY";

  private final String version;
  private final @Nullable String beta;

  private AnthropicProvider(Settings s, String key) {
    super(s, DEFAULT_MODEL, DEFAULT_BASE_URL, key);
    this.version = s.string("anthropicVersion", DEFAULT_VERSION);
    this.beta = s.optional("anthropicBeta");
  }

  public static AnthropicProvider create(Settings s) {
    return new AnthropicProvider(s, s.requireApiKey(KEY_ENV));
  }

  @Override
  protected HttpRequest newRequest(ProviderRequest request, boolean streaming) {
    ObjectNode body = Json.object();
    body.put("model", model());
    body.put("max_tokens", maxTokens(request));
    String system = Prompts.system(request, true);
    if (system != null) {
      body.put("system", system);
    }
    if (request.isConversation()) {
      conversation(request, body.putArray("messages"));
    } else {
      body.putArray("messages").addObject().put("role", "user").put("content", Prompts.user(request));
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolSpec t : request.tools()) {
        tools.addObject().put("name", t.name()).put("description", t.description())
            .set("input_schema", ToolJson.schema(t));
      }
    }
    if (temperature() != null) {
      body.put("temperature", Math.min(1.0, temperature()));
    }
    if (streaming) {
      body.put("stream", true);
    }
    HttpRequest.Builder b = jsonPost(resolve("/v1/messages"), body, streaming)
        .header("x-api-key", java.util.Objects.requireNonNull(apiKey()))
        .header("anthropic-version", version);
    if (beta != null) {
      b.header("anthropic-beta", beta);
    }
    return b.build();
  }

  /** Every turn but the system's, in the API's shapes; tool results join the user message after them. */
  private static void conversation(ProviderRequest request, ArrayNode messages) {
    ArrayNode userBlocks = null;
    boolean firstUser = true;
    for (Message m : request.messages()) {
      switch (m.role()) {
        case SYSTEM -> {
          // sent as the top-level system prompt
        }
        case USER -> {
          String text = firstUser ? Prompts.user(request.toBuilder().messages(List.of()).prompt(m.text()).build())
              : m.text();
          firstUser = false;
          if (userBlocks == null) {
            userBlocks = messages.addObject().put("role", "user").putArray("content");
          }
          userBlocks.addObject().put("type", "text").put("text", text);
        }
        case ASSISTANT -> {
          userBlocks = null;
          ArrayNode blocks = messages.addObject().put("role", "assistant").putArray("content");
          if (!m.text().isEmpty()) {
            blocks.addObject().put("type", "text").put("text", m.text());
          }
          for (ToolCall c : m.toolCalls()) {
            blocks.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name())
                .set("input", ToolJson.object(c.arguments()));
          }
        }
        case TOOL -> {
          if (userBlocks == null) {
            userBlocks = messages.addObject().put("role", "user").putArray("content");
          }
          userBlocks.addObject().put("type", "tool_result")
              .put("tool_use_id", Objects.requireNonNull(m.answers()).id()).put("content", m.text());
        }
        default -> throw new IllegalStateException("unexpected role " + m.role());
      }
    }
  }

  @Override
  public boolean supportsTools() {
    return true;
  }

  @Override
  protected HttpRequest probeRequest() {
    return HealthProbe.get(resolve("/v1/models")).header("x-api-key", java.util.Objects.requireNonNull(apiKey()))
        .header("anthropic-version", version).build();
  }

  @Override
  protected ProviderResponse parseResponse(JsonNode body) throws ProviderException {
    if ("error".equals(Json.text(body, "type"))) {
      throw eventError(body.path("error"));
    }
    JsonNode content = body.get("content");
    String answeringModel = Json.text(body, "model");
    if (content == null || !content.isArray()) {
      throw malformed("the reply has no content array", AnthropicUsage.of(body.get("usage")), answeringModel);
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode block : content) {
      if ("text".equals(Json.text(block, "type"))) {
        text.append(block.path("text").asText(""));
      } else if ("tool_use".equals(Json.text(block, "type")) && Json.text(block, "name") != null) {
        String id = Json.text(block, "id");
        calls.add(ToolCall.of(id == null ? "toolu_" + calls.size() : id, Objects.requireNonNull(
            Json.text(block, "name")), ToolJson.arguments(block.get("input"))));
      }
    }
    JsonNode u = body.get("usage");
    checkStop(Json.text(body, "stop_reason"), Json.present(u) ? AnthropicUsage.of(u) : null, answeringModel);
    return reply(text.toString(), AnthropicUsage.of(u), answeringModel, Json.text(body, "id")).toBuilder()
        .toolCalls(calls).build();
  }

  /** A refusal fails, billed at the reply's usage: the prompt was read and the refusal generated. */
  private void checkStop(@Nullable String stopReason, @Nullable TokenUsage usage, @Nullable String answeringModel)
      throws ProviderException {
    if ("refusal".equals(stopReason)) {
      throw refused("the model declined to answer (stop_reason=refusal)", usage, answeringModel);
    }
  }

  @Override
  protected StreamAssembler newAssembler() {
    return new StreamAssembler() {
      private final StringBuilder text = new StringBuilder();
      private final AnthropicUsage usage = new AnthropicUsage();
      // tool_use blocks by index: id, name, and the input's JSON text in pieces
      private final TreeMap<Integer, String[]> calls = new TreeMap<>();
      private @Nullable String id;
      private volatile @Nullable String answeringModel;
      private @Nullable String stopReason;
      private boolean started;
      private boolean stopped;

      @Override
      public void onEvent(@Nullable String event, String data) throws Exception {
        JsonNode e = Json.read(data);
        String type = Json.text(e, "type");
        if (type == null) {
          type = event == null ? "" : event;
        }
        switch (type) {
          case "message_start" -> {
            started = true;
            JsonNode message = e.path("message");
            id = Json.text(message, "id");
            answeringModel = Json.text(message, "model");
            usage.take(message.get("usage"));
          }
          case "content_block_start" -> {
            JsonNode block = e.path("content_block");
            if ("tool_use".equals(Json.text(block, "type"))) {
              calls.put(e.path("index").asInt(calls.size()),
                  new String[] {Json.text(block, "id"), Json.text(block, "name"), ""});
            }
          }
          case "content_block_delta" -> {
            JsonNode delta = e.path("delta");
            if ("text_delta".equals(Json.text(delta, "type"))) {
              text.append(delta.path("text").asText(""));
            } else if ("input_json_delta".equals(Json.text(delta, "type"))) {
              String[] call = calls.get(e.path("index").asInt(-1));
              if (call != null) {
                call[2] = call[2] + delta.path("partial_json").asText("");
              }
            }
          }
          case "message_delta" -> {
            String stop = Json.text(e.path("delta"), "stop_reason");
            if (stop != null) {
              stopReason = stop;
            }
            usage.take(e.get("usage")); // cumulative counts: the latest wins
          }
          case "message_stop" -> stopped = true;
          case "error" -> throw eventError(e.path("error"));
          default -> {
            // ping, content_block_stop and future events carry nothing we need
          }
        }
      }

      @Override
      public ProviderResponse finish() throws ProviderException {
        if (!started || !stopped) {
          throw malformed("the stream ended before message_stop (truncated)", usage.usage(), answeringModel);
        }
        checkStop(stopReason, usage.reported() ? usage.usage() : null, answeringModel);
        List<ToolCall> made = new ArrayList<>();
        for (String[] c : calls.values()) {
          if (c[1] != null) {
            made.add(ToolCall.of(c[0] == null ? "toolu_" + made.size() : c[0], c[1], ToolJson.arguments(c[2])));
          }
        }
        return reply(text.toString(), usage.usage(), answeringModel, id).toBuilder().toolCalls(made).build();
      }

      @Override
      public TokenUsage usageSoFar() {
        return usage.usage();
      }

      @Override
      public @Nullable String modelSoFar() {
        return answeringModel;
      }
    };
  }

  /** An error event in a stream (or an error body with status 200). */
  private ProviderException eventError(JsonNode error) {
    String type = lower(Json.text(error, "type"));
    ErrorKind kind = switch (type) {
      case "overloaded_error" -> ErrorKind.OVERLOADED;
      case "rate_limit_error" -> ErrorKind.RATE_LIMITED;
      case "api_error" -> ErrorKind.SERVER;
      case "authentication_error", "permission_error" -> ErrorKind.AUTH;
      case "request_too_large" -> ErrorKind.CONTEXT_TOO_LONG;
      case "invalid_request_error", "not_found_error" -> ErrorKind.INVALID_REQUEST;
      default -> ErrorKind.SERVER;
    };
    return errorInReply(kind, "error event " + type + ": " + Json.text(error, "message"), null);
  }

  @Override
  protected ProviderException errorFrom(int status, HttpHeaders headers, String body) {
    ErrorKind kind = HttpErrors.kindForStatus(status);
    String message;
    String type = "";
    String detailCode = "";
    try {
      JsonNode error = Json.read(body).path("error");
      type = lower(Json.text(error, "type"));
      message = type + ": " + Json.text(error, "message");
      detailCode = lower(Json.text(error.path("details"), "error_code"));
    } catch (Exception e) {
      message = body.isBlank() ? "empty error body" : "error body is not JSON";
    }
    switch (type) {
      case "overloaded_error" -> kind = ErrorKind.OVERLOADED;
      case "rate_limit_error" -> kind = ErrorKind.RATE_LIMITED;
      case "authentication_error", "permission_error" -> kind = ErrorKind.AUTH;
      case "request_too_large" -> kind = ErrorKind.CONTEXT_TOO_LONG;
      default -> {
        // keep the status's kind
      }
    }
    String lowerMessage = lower(message);
    if (kind == ErrorKind.INVALID_REQUEST
        && (lowerMessage.contains("prompt is too long") || lowerMessage.contains("context window"))) {
      kind = ErrorKind.CONTEXT_TOO_LONG;
    }
    if (detailCode.contains("spend_limit") || lowerMessage.contains("credit balance is too low")) {
      return error(kind, status, false, null, message + ": raise the spend limit or add credit; waiting will not help");
    }
    return error(kind, status, headers, message);
  }
}
