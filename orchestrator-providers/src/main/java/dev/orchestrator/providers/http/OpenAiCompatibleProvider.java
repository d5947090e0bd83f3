package dev.orchestrator.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.TokenUsage;
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
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A provider for any server speaking OpenAI's Chat Completions API ({@code POST {baseUrl}/chat/completions},
 * {@code Authorization: Bearer <key>}, a {@code GET {baseUrl}/models} health probe): the request, whole and streamed
 * replies (with {@code stream_options.include_usage}, so a streamed call is costed from the server's own count),
 * refusals, errors in the reply and the error codes OpenAI and the common compatible servers send. A vendor's plugin
 * gives only its {@link OpenAiVendor}, usually through an {@link OpenAiCompatibleFactory}; a subclass may add headers
 * ({@link #headers}) or read a different usage object ({@link #usage(JsonNode)}).
 *
 * <p>Properties, beyond those of {@link HttpProvider}: {@code apiKey} / {@code apiKeyEnv}; {@code maxTokensField}
 * ({@code max_tokens} or {@code max_completion_tokens}, default the vendor's); {@code jsonMode}: how a task's JSON
 * schema is sent: {@code json_schema} (default, {@code response_format}), {@code json_object}, or {@code none} (the
 * schema goes into the system prompt).
 *
 * <p>A conversation ({@link ProviderRequest#messages()}) is sent as the vendor's messages, with native tool calling:
 * the request's tools as {@code tools} of type {@code function}, an assistant turn's calls as its {@code tool_calls}
 * (arguments as JSON text), a tool result as a {@code tool} message with its {@code tool_call_id}; the reply's
 * {@code tool_calls} (whole or streamed in pieces by index) become {@link ProviderResponse#toolCalls()}.
 *
 * <p>Thread-safe.
 */
public class OpenAiCompatibleProvider extends HttpProvider {
  private static final Set<String> JSON_MODES = Set.of("json_schema", "json_object", "none");

  private final String maxTokensField;
  private final String jsonMode;

  /**
   * Reads the instance's settings over the vendor's defaults.
   *
   * @throws IllegalArgumentException naming the instance, the property and the fix when a setting is invalid, or
   *     when the vendor needs a key and none is configured
   */
  public OpenAiCompatibleProvider(Settings s, OpenAiVendor vendor) {
    super(s, vendor.model(), vendor.baseUrl(), s.apiKey(vendor.apiKeyEnv(), vendor.keyRequired()), vendor.prices());
    this.maxTokensField = s.string("maxTokensField", vendor.maxTokensField());
    if (!maxTokensField.equals("max_tokens") && !maxTokensField.equals("max_completion_tokens")) {
      throw s.invalid("maxTokensField", maxTokensField, "max_completion_tokens or max_tokens");
    }
    this.jsonMode = s.string("jsonMode", "json_schema").toLowerCase(Locale.ROOT);
    if (!JSON_MODES.contains(jsonMode)) {
      throw s.invalid("jsonMode", jsonMode, "json_schema, json_object or none");
    }
  }

  /**
   * Adds the vendor's own headers to every request, the health probe's included; the bearer key is already set.
   * Does nothing by default.
   */
  protected void headers(HttpRequest.Builder request) {}

  /**
   * Reads a reply's (or a stream's final chunk's) {@code usage} object. The default reads OpenAI's fields:
   * {@code prompt_tokens}, {@code completion_tokens} and their {@code *_details} (cached, audio, image, reasoning).
   * Override it for a vendor that reports cache hits in fields of its own.
   */
  protected TokenUsage usage(JsonNode usage) {
    return OpenAiUsage.of(usage);
  }

  @Override
  protected final HttpRequest newRequest(ProviderRequest request, boolean streaming) {
    ObjectNode body = Json.object();
    body.put("model", model());
    ArrayNode messages = body.putArray("messages");
    String schema = Prompts.schema(request);
    String system = Prompts.system(request, schema != null && !jsonMode.equals("json_schema"));
    if (system != null) {
      messages.addObject().put("role", "system").put("content", system);
    }
    if (request.isConversation()) {
      conversation(request, messages);
    } else {
      messages.addObject().put("role", "user").put("content", Prompts.user(request));
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolSpec t : request.tools()) {
        ObjectNode f = tools.addObject().put("type", "function").putObject("function");
        f.put("name", t.name()).put("description", t.description()).set("parameters", ToolJson.schema(t));
      }
    }
    body.put(maxTokensField, maxTokens(request));
    if (temperature() != null) {
      body.put("temperature", temperature());
    }
    if (schema != null && jsonMode.equals("json_schema")) {
      ObjectNode format = body.putObject("response_format");
      format.put("type", "json_schema");
      ObjectNode js = format.putObject("json_schema");
      js.put("name", "task_output");
      try {
        js.set("schema", Json.read(schema));
      } catch (Exception e) {
        throw new IllegalArgumentException("the expected output schema is not valid JSON: fix the task's schema", e);
      }
    } else if (schema != null && jsonMode.equals("json_object")) {
      body.putObject("response_format").put("type", "json_object");
    }
    if (streaming) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    HttpRequest.Builder b = jsonPost(resolve("/chat/completions"), body, streaming);
    if (apiKey() != null) {
      b.header("Authorization", "Bearer " + apiKey());
    }
    headers(b);
    return b.build();
  }

  /** Every turn but the system's (sent first), in the vendor's shapes. */
  private static void conversation(ProviderRequest request, ArrayNode messages) {
    boolean firstUser = true;
    for (Message m : request.messages()) {
      switch (m.role()) {
        case SYSTEM -> {
          // the system prompt was sent first, with any JSON instruction
        }
        case USER -> {
          messages.addObject().put("role", "user").put("content", firstUser ? userText(request, m) : m.text());
          firstUser = false;
        }
        case ASSISTANT -> {
          ObjectNode a = messages.addObject().put("role", "assistant");
          if (m.text().isEmpty() && !m.toolCalls().isEmpty()) {
            a.putNull("content");
          } else {
            a.put("content", m.text());
          }
          if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = a.putArray("tool_calls");
            for (ToolCall c : m.toolCalls()) {
              calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
                  .put("name", c.name()).put("arguments", Json.write(ToolJson.object(c.arguments())));
            }
          }
        }
        case TOOL -> messages.addObject().put("role", "tool")
            .put("tool_call_id", Objects.requireNonNull(m.answers()).id()).put("content", m.text());
        default -> throw new IllegalStateException("unexpected role " + m.role());
      }
    }
  }

  /** The first user turn carries the expected output when it is described in words, as a plain prompt does. */
  static String userText(ProviderRequest request, Message first) {
    return Prompts.user(request.toBuilder().messages(List.of()).prompt(first.text()).build());
  }

  /** The calls of a reply's {@code message.tool_calls}. */
  private static List<ToolCall> toolCalls(JsonNode message) {
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode c : message.path("tool_calls")) {
      JsonNode f = c.path("function");
      String name = Json.text(f, "name");
      if (name == null || name.isBlank()) {
        continue;
      }
      String id = Json.text(c, "id");
      calls.add(ToolCall.of(id == null || id.isBlank() ? "call_" + calls.size() : id, name,
          ToolJson.arguments(Json.text(f, "arguments"))));
    }
    return calls;
  }

  @Override
  public boolean supportsTools() {
    return true;
  }

  @Override
  protected final HttpRequest probeRequest() {
    HttpRequest.Builder b = HealthProbe.get(resolve("/models"));
    if (apiKey() != null) {
      b.header("Authorization", "Bearer " + apiKey());
    }
    headers(b);
    return b.build();
  }

  @Override
  protected final ProviderResponse parseResponse(JsonNode body) throws ProviderException {
    JsonNode choices = body.get("choices");
    String answeringModel = Json.text(body, "model");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      if (Json.present(body.get("error"))) {
        throw streamError(body.get("error"));
      }
      throw malformed("the reply has no choices", reported(body.get("usage")), answeringModel);
    }
    JsonNode choice = choices.get(0);
    JsonNode message = choice.path("message");
    String content = Json.text(message, "content");
    String refusal = Json.text(message, "refusal");
    String finish = Json.text(choice, "finish_reason");
    checkRefusal(refusal, finish, body.get("usage"), answeringModel);
    String text = content == null ? "" : content;
    return reply(text, usage(body.get("usage"), text), answeringModel, Json.text(body, "id")).toBuilder()
        .toolCalls(toolCalls(message)).build();
  }

  /** A refusal or a filtered reply fails, billed at the usage the reply reported. */
  private void checkRefusal(@Nullable String refusal, @Nullable String finish, @Nullable JsonNode usage,
      @Nullable String answeringModel) throws ProviderException {
    if (refusal != null && !refusal.isEmpty()) {
      throw refused("the model refused: " + refusal, reportedOrNull(usage), answeringModel);
    }
    if ("content_filter".equals(finish)) {
      throw refused("the reply was withheld by the content filter (finish_reason=content_filter)",
          reportedOrNull(usage), answeringModel);
    }
  }

  private TokenUsage usage(@Nullable JsonNode u, String text) {
    if (u == null || !Json.present(u)) {
      // some OpenAI-compatible servers report no usage: count roughly rather than call it free
      return TokenUsage.of(0, Estimates.tokens(text));
    }
    return usage(u);
  }

  private TokenUsage reported(@Nullable JsonNode u) {
    return u != null && Json.present(u) && u.isObject() ? usage(u) : TokenUsage.NONE;
  }

  private @Nullable TokenUsage reportedOrNull(@Nullable JsonNode u) {
    return u != null && Json.present(u) && u.isObject() ? usage(u) : null;
  }

  @Override
  protected final StreamAssembler newAssembler() {
    return new StreamAssembler() {
      private final StringBuilder text = new StringBuilder();
      private final StringBuilder refusal = new StringBuilder();
      // streamed tool calls by index: id, name, and the arguments' JSON text in pieces
      private final TreeMap<Integer, String[]> calls = new TreeMap<>();
      // written on the stream's thread, read by a timeout on another
      private volatile @Nullable JsonNode usage;
      private @Nullable String id;
      private volatile @Nullable String answeringModel;
      private @Nullable String finish;
      private boolean done;

      @Override
      public void onEvent(@Nullable String event, String data) throws Exception {
        if (data.equals("[DONE]")) {
          done = true;
          return;
        }
        JsonNode chunk = Json.read(data);
        if (Json.present(chunk.get("error"))) {
          throw streamError(chunk.get("error"));
        }
        if (id == null) {
          id = Json.text(chunk, "id");
        }
        if (answeringModel == null) {
          answeringModel = Json.text(chunk, "model");
        }
        if (Json.present(chunk.get("usage"))) {
          usage = chunk.get("usage");
        }
        JsonNode choices = chunk.get("choices");
        if (choices != null && choices.isArray()) {
          for (JsonNode c : choices) {
            if (c.path("index").asInt(0) != 0) {
              continue;
            }
            JsonNode delta = c.path("delta");
            String piece = Json.text(delta, "content");
            if (piece != null) {
              text.append(piece);
            }
            String r = Json.text(delta, "refusal");
            if (r != null) {
              refusal.append(r);
            }
            String f = Json.text(c, "finish_reason");
            if (f != null) {
              finish = f;
            }
            for (JsonNode tc : delta.path("tool_calls")) {
              String[] call = calls.computeIfAbsent(tc.path("index").asInt(calls.size()),
                  i -> new String[] {null, null, ""});
              String callId = Json.text(tc, "id");
              String callName = Json.text(tc.path("function"), "name");
              String args = Json.text(tc.path("function"), "arguments");
              call[0] = callId != null ? callId : call[0];
              call[1] = callName != null ? callName : call[1];
              call[2] = args != null ? call[2] + args : call[2];
            }
          }
        }
      }

      @Override
      public ProviderResponse finish() throws ProviderException {
        if (!done) {
          throw malformed("the stream ended before data: [DONE] (truncated)", usageSoFar(), answeringModel);
        }
        checkRefusal(refusal.length() == 0 ? null : refusal.toString(), finish, usage, answeringModel);
        String t = text.toString();
        List<ToolCall> made = new ArrayList<>();
        for (String[] c : calls.values()) {
          if (c[1] != null && !c[1].isBlank()) {
            made.add(ToolCall.of(c[0] == null || c[0].isBlank() ? "call_" + made.size() : c[0], c[1],
                ToolJson.arguments(c[2])));
          }
        }
        return reply(t, usage(usage, t), answeringModel, id).toBuilder().toolCalls(made).build();
      }

      @Override
      public TokenUsage usageSoFar() {
        return reported(usage);
      }

      @Override
      public @Nullable String modelSoFar() {
        return answeringModel;
      }
    };
  }

  /** An error object sent inside a 200 reply or a stream. */
  private ProviderException streamError(JsonNode error) {
    String code = lower(Json.text(error, "code")) + " " + lower(Json.text(error, "type"));
    String message = error.isTextual() ? error.asText() : Json.text(error, "message");
    ErrorKind kind = code.contains("rate_limit") ? ErrorKind.RATE_LIMITED
        : code.contains("context_length") ? ErrorKind.CONTEXT_TOO_LONG
        : code.contains("invalid_request") ? ErrorKind.INVALID_REQUEST
        : ErrorKind.SERVER;
    return errorInReply(kind, "error in the reply: " + message, null);
  }

  /** Servers that say it only in words: Ollama ("the input length exceeds the context length"), vLLM, LM Studio. */
  private static boolean contextOverflow(String message) {
    String m = lower(message);
    return m.contains("exceeds the context") || m.contains("exceeds the available context")
        || m.contains("maximum context length") || m.contains("context length exceeded")
        || m.contains("context window");
  }

  @Override
  protected final ProviderException errorFrom(int status, HttpHeaders headers, String body) {
    ErrorKind kind = HttpErrors.kindForStatus(status);
    String message = "no error body";
    String code = "";
    try {
      JsonNode json = Json.read(body);
      JsonNode error = json.get("error");
      if (error != null && error.isTextual()) {
        message = error.asText(); // Ollama and some others: {"error": "..."}
      } else if (error != null) {
        message = String.valueOf(Json.text(error, "message"));
        code = lower(Json.text(error, "code")) + " " + lower(Json.text(error, "type"));
        if (error.hasNonNull("n_ctx") && error.hasNonNull("n_prompt_tokens")) {
          // llama.cpp's server: {"type": "exceed_context_size_error", "n_prompt_tokens": 4476, "n_ctx": 4096}
          message = "the prompt is " + error.get("n_prompt_tokens").asLong() + " tokens and the server's context "
              + error.get("n_ctx").asLong() + " (" + message + "): shorten the input, or start the server with a "
              + "larger context (llama-server --ctx-size)";
        }
      }
    } catch (Exception e) {
      message = body.isBlank() ? "empty error body" : "error body is not JSON";
    }
    if (code.contains("context_length_exceeded") || code.contains("string_above_max_length")
        || code.contains("exceed_context_size") || contextOverflow(message)) {
      kind = ErrorKind.CONTEXT_TOO_LONG;
    } else if (code.contains("content_policy") || code.contains("content_filter")) {
      kind = ErrorKind.CONTENT_REFUSED;
    } else if (code.contains("insufficient_quota")) {
      return error(ErrorKind.RATE_LIMITED, status, false, null, "quota exhausted (" + message
          + "): add credit or raise the account's limit; waiting will not help");
    } else if (code.contains("invalid_api_key")) {
      kind = ErrorKind.AUTH;
    }
    return error(kind, status, headers, message);
  }
}
