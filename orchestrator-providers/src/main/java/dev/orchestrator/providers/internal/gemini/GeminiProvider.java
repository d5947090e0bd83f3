package dev.orchestrator.providers.internal.gemini;

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
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The Gemini API's {@code models/{model}:generateContent} (and {@code :streamGenerateContent?alt=sse} when streaming),
 * authenticated with the {@code x-goog-api-key} header so the key never sits in a URL. Usage comes from
 * {@code usageMetadata} ({@link GeminiUsage}). {@code maxOutputTokens} is always sent; {@code thinkingBudget}, when
 * configured, is sent as {@code thinkingConfig.thinkingBudget}, at most the output allowance.
 *
 * <p>A conversation is sent as {@code contents} of {@code user} and {@code model} turns with native function
 * calling: tools as one {@code functionDeclarations} tool, an assistant turn's calls as {@code functionCall} parts,
 * tool results as {@code functionResponse} parts ({@code {"name":..., "response":{"result":...}}}) of a user turn;
 * a reply's {@code functionCall} parts become its tool calls (the API's {@code id} when it sends one, else
 * {@code gemini-call-N}, which is never sent back). Thread-safe.
 */
public final class GeminiProvider extends HttpProvider {
  public static final String TYPE = "gemini";
  public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";
  public static final String DEFAULT_MODEL = "gemini-2.5-flash";
  public static final String KEY_ENV = "GEMINI_API_KEY";
  private static final Set<String> REFUSALS =
      Set.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE");

  private final @Nullable Integer thinkingBudget;

  private GeminiProvider(Settings s, String key) {
    super(s, DEFAULT_MODEL, DEFAULT_BASE_URL, key);
    this.thinkingBudget = s.optional("thinkingBudget") == null ? null
        : s.integer("thinkingBudget", -1, -1, 1_000_000);
  }

  public static GeminiProvider create(Settings s) {
    return new GeminiProvider(s, s.requireApiKey(KEY_ENV));
  }

  @Override
  protected HttpRequest newRequest(ProviderRequest request, boolean streaming) {
    ObjectNode body = Json.object();
    if (request.isConversation()) {
      conversation(request, body.putArray("contents"));
    } else {
      body.putArray("contents").addObject().put("role", "user").putArray("parts").addObject()
          .put("text", Prompts.user(request));
    }
    if (!request.tools().isEmpty()) {
      ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
      for (ToolSpec t : request.tools()) {
        declarations.addObject().put("name", t.name()).put("description", t.description())
            .set("parameters", ToolJson.schema(t));
      }
    }
    String system = request.system();
    if (system != null) {
      body.putObject("systemInstruction").putArray("parts").addObject().put("text", system);
    }
    ObjectNode config = body.putObject("generationConfig");
    int max = maxTokens(request);
    config.put("maxOutputTokens", max);
    if (thinkingBudget != null) {
      // -1 asks for dynamic thinking; a fixed budget never goes beyond what the call may generate
      config.putObject("thinkingConfig").put("thinkingBudget", thinkingBudget < 0 ? -1 : Math.min(thinkingBudget, max));
    }
    if (temperature() != null) {
      config.put("temperature", temperature());
    }
    String schema = Prompts.schema(request);
    if (schema != null) {
      config.put("responseMimeType", "application/json");
      try {
        config.set("responseJsonSchema", Json.read(schema));
      } catch (Exception e) {
        throw new IllegalArgumentException("the expected output schema is not valid JSON: fix the task's schema", e);
      }
    }
    String m = URLEncoder.encode(model(), StandardCharsets.UTF_8);
    String path = streaming ? "/models/" + m + ":streamGenerateContent?alt=sse" : "/models/" + m + ":generateContent";
    return jsonPost(resolve(path), body, streaming)
        .header("x-goog-api-key", Objects.requireNonNull(apiKey()))
        .build();
  }

  private static final String MADE_UP_ID = "gemini-call-";

  /** Every turn but the system's, as user and model contents; consecutive user-side turns share one content. */
  private static void conversation(ProviderRequest request, ArrayNode contents) {
    ArrayNode userParts = null;
    boolean firstUser = true;
    for (Message m : request.messages()) {
      switch (m.role()) {
        case SYSTEM -> {
          // sent as systemInstruction
        }
        case USER -> {
          String text = firstUser ? Prompts.user(request.toBuilder().messages(List.of()).prompt(m.text()).build())
              : m.text();
          firstUser = false;
          if (userParts == null) {
            userParts = contents.addObject().put("role", "user").putArray("parts");
          }
          userParts.addObject().put("text", text);
        }
        case ASSISTANT -> {
          userParts = null;
          ArrayNode parts = contents.addObject().put("role", "model").putArray("parts");
          if (!m.text().isEmpty()) {
            parts.addObject().put("text", m.text());
          }
          for (ToolCall c : m.toolCalls()) {
            ObjectNode call = parts.addObject().putObject("functionCall");
            if (!c.id().startsWith(MADE_UP_ID)) {
              call.put("id", c.id());
            }
            call.put("name", c.name()).set("args", ToolJson.object(c.arguments()));
          }
        }
        case TOOL -> {
          if (userParts == null) {
            userParts = contents.addObject().put("role", "user").putArray("parts");
          }
          ToolCall answered = Objects.requireNonNull(m.answers());
          ObjectNode response = userParts.addObject().putObject("functionResponse");
          if (!answered.id().startsWith(MADE_UP_ID)) {
            response.put("id", answered.id());
          }
          response.put("name", answered.name()).putObject("response").put("result", m.text());
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
    return HealthProbe.get(resolve("/models")).header("x-goog-api-key", Objects.requireNonNull(apiKey())).build();
  }

  @Override
  protected ProviderResponse parseResponse(JsonNode body) throws ProviderException {
    Piece p = piece(body);
    JsonNode u = body.get("usageMetadata");
    String answeringModel = Json.text(body, "modelVersion");
    checkBlocked(p.blockReason, p.finishReason, u, answeringModel);
    if (p.finishReason == null && p.text.isEmpty() && p.calls.isEmpty()) {
      throw malformed("the reply has no candidates", GeminiUsage.of(u), answeringModel);
    }
    return reply(p.text, GeminiUsage.of(u), answeringModel, Json.text(body, "responseId")).toBuilder()
        .toolCalls(numbered(p.calls)).build();
  }

  private record Piece(String text, @Nullable String finishReason, @Nullable String blockReason,
      List<ToolCall> calls) {}

  /** The calls with made-up ids where the API gave none, numbered in order. */
  private static List<ToolCall> numbered(List<ToolCall> calls) {
    List<ToolCall> out = new ArrayList<>(calls.size());
    for (ToolCall c : calls) {
      out.add(c.id().isEmpty() || c.id().startsWith(MADE_UP_ID)
          ? ToolCall.of(MADE_UP_ID + out.size(), c.name(), c.arguments()) : c);
    }
    return out;
  }

  /** The text, finish reason and block reason of one (whole or streamed) response. */
  private static Piece piece(JsonNode body) {
    String block = Json.text(body.path("promptFeedback"), "blockReason");
    JsonNode candidates = body.get("candidates");
    if (candidates == null || !candidates.isArray() || candidates.isEmpty()) {
      return new Piece("", null, block, List.of());
    }
    JsonNode c = candidates.get(0);
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode part : c.path("content").path("parts")) {
      if (!part.path("thought").asBoolean(false) && part.has("text")) {
        text.append(part.get("text").asText());
      }
      JsonNode call = part.get("functionCall");
      String name = Json.text(call, "name");
      if (call != null && name != null) {
        String id = Json.text(call, "id");
        calls.add(ToolCall.of(id == null || id.isBlank() ? MADE_UP_ID + calls.size() : id, name,
            ToolJson.arguments(call.get("args"))));
      }
    }
    return new Piece(text.toString(), Json.text(c, "finishReason"), block, calls);
  }

  /**
   * A blocked prompt or reply fails, billed at the usage it reported: the prompt was read (and a reply begun) before
   * the block.
   */
  private void checkBlocked(@Nullable String blockReason, @Nullable String finishReason, @Nullable JsonNode usage,
      @Nullable String answeringModel) throws ProviderException {
    TokenUsage billed = Json.present(usage) ? GeminiUsage.of(usage) : null;
    if (blockReason != null) {
      throw refused("the prompt was blocked (blockReason=" + blockReason + ")", billed, answeringModel);
    }
    if (finishReason != null && REFUSALS.contains(finishReason)) {
      throw refused("the reply was blocked (finishReason=" + finishReason + ")", billed, answeringModel);
    }
  }

  @Override
  protected StreamAssembler newAssembler() {
    return new StreamAssembler() {
      private final StringBuilder text = new StringBuilder();
      private final List<ToolCall> calls = new ArrayList<>();
      // written on the stream's thread, read by a timeout on another
      private volatile @Nullable JsonNode usage;
      private volatile @Nullable String answeringModel;
      private @Nullable String id;
      private @Nullable String finish;
      private @Nullable String block;

      @Override
      public void onEvent(@Nullable String event, String data) throws Exception {
        JsonNode chunk = Json.read(data);
        if (Json.present(chunk.get("error"))) {
          throw classify(0, null, chunk.get("error"));
        }
        if (Json.present(chunk.get("usageMetadata"))) {
          usage = chunk.get("usageMetadata"); // cumulative: the last one seen is the call's
        }
        if (answeringModel == null) {
          answeringModel = Json.text(chunk, "modelVersion");
        }
        if (id == null) {
          id = Json.text(chunk, "responseId");
        }
        Piece p = piece(chunk);
        text.append(p.text);
        calls.addAll(p.calls);
        if (p.finishReason != null) {
          finish = p.finishReason;
        }
        if (p.blockReason != null) {
          block = p.blockReason;
        }
      }

      @Override
      public ProviderResponse finish() throws ProviderException {
        checkBlocked(block, finish, usage, answeringModel);
        if (finish == null) {
          throw malformed("the stream ended before a finishReason (truncated)", usageSoFar(), answeringModel);
        }
        return reply(text.toString(), GeminiUsage.of(usage), answeringModel, id).toBuilder()
            .toolCalls(numbered(calls)).build();
      }

      @Override
      public TokenUsage usageSoFar() {
        return GeminiUsage.of(usage);
      }

      @Override
      public @Nullable String modelSoFar() {
        return answeringModel;
      }
    };
  }

  @Override
  protected ProviderException errorFrom(int status, HttpHeaders headers, String body) {
    try {
      JsonNode json = Json.read(body);
      if (json.isArray() && !json.isEmpty()) {
        json = json.get(0); // streamed calls may wrap the error in an array
      }
      return classify(status, headers, json.path("error"));
    } catch (Exception e) {
      return error(HttpErrors.kindForStatus(status), status, headers,
          body.isBlank() ? "empty error body" : "error body is not JSON");
    }
  }

  private ProviderException classify(int status, @Nullable HttpHeaders headers, JsonNode error) {
    String grpc = String.valueOf(Json.text(error, "status"));
    String message = String.valueOf(Json.text(error, "message"));
    int code = status != 0 ? status : error.path("code").asInt(500);
    ErrorKind kind = switch (grpc) {
      case "RESOURCE_EXHAUSTED" -> ErrorKind.RATE_LIMITED;
      case "UNAVAILABLE" -> ErrorKind.OVERLOADED;
      case "INTERNAL", "UNKNOWN" -> ErrorKind.SERVER;
      case "DEADLINE_EXCEEDED" -> ErrorKind.TIMEOUT;
      case "UNAUTHENTICATED", "PERMISSION_DENIED" -> ErrorKind.AUTH;
      case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "NOT_FOUND", "OUT_OF_RANGE" -> ErrorKind.INVALID_REQUEST;
      default -> HttpErrors.kindForStatus(code);
    };
    Duration retryDelay = null;
    for (JsonNode d : error.path("details")) {
      String reason = String.valueOf(Json.text(d, "reason"));
      if (reason.startsWith("API_KEY_")) {
        kind = ErrorKind.AUTH; // Gemini answers a bad key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID
      }
      String delay = Json.text(d, "retryDelay");
      if (delay != null && delay.endsWith("s")) {
        try {
          retryDelay = Duration.ofMillis((long) (Double.parseDouble(delay.substring(0, delay.length() - 1)) * 1000));
        } catch (NumberFormatException ignored) {
          // keep the header's value
        }
      }
    }
    String lowerMessage = lower(message);
    if (kind == ErrorKind.INVALID_REQUEST && lowerMessage.contains("exceeds the maximum number of tokens")) {
      kind = ErrorKind.CONTEXT_TOO_LONG;
    }
    if (headers == null) {
      return errorInReply(kind, "error in the stream: " + grpc + ": " + message, retryDelay);
    }
    Duration fromHeader = HttpErrors.retryAfter(headers, clock());
    return error(kind, code, kind.retryable(), fromHeader != null ? fromHeader : retryDelay, grpc + ": " + message);
  }
}
