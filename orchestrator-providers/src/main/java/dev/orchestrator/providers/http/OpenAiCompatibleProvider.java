package dev.orchestrator.providers.internal.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.Estimates;
import dev.orchestrator.providers.http.HttpErrors;
import dev.orchestrator.providers.http.HealthProbe;
import dev.orchestrator.providers.http.HttpProvider;
import dev.orchestrator.providers.http.Json;
import dev.orchestrator.providers.http.Prompts;
import dev.orchestrator.providers.http.Settings;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI Chat Completions API ({@code POST {baseUrl}/chat/completions}), also spoken by Ollama, vLLM,
 * llama.cpp's server, LM Studio, OpenRouter, Groq and others. Streams with {@code stream_options.include_usage} so a
 * streamed call is costed from the server's own count. Thread-safe.
 */
public final class OpenAiProvider extends HttpProvider {
  public static final String TYPE = "openai";
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  public static final String DEFAULT_MODEL = "gpt-4o-mini";
  public static final String KEY_ENV = "OPENAI_API_KEY";
  private static final Set<String> JSON_MODES = Set.of("json_schema", "json_object", "none");

  private final String maxTokensField;
  private final String jsonMode;
  private final @Nullable String organization;
  private final @Nullable String project;

  private OpenAiProvider(Settings s, @Nullable String key) {
    super(s, DEFAULT_MODEL, DEFAULT_BASE_URL, key);
    boolean official = isOfficial(baseUrl.getHost());
    this.maxTokensField = s.string("maxTokensField", official ? "max_completion_tokens" : "max_tokens");
    if (!maxTokensField.equals("max_tokens") && !maxTokensField.equals("max_completion_tokens")) {
      throw s.invalid("maxTokensField", maxTokensField, "max_completion_tokens or max_tokens");
    }
    this.jsonMode = s.string("jsonMode", "json_schema").toLowerCase(Locale.ROOT);
    if (!JSON_MODES.contains(jsonMode)) {
      throw s.invalid("jsonMode", jsonMode, "json_schema, json_object or none");
    }
    this.organization = s.optional("organization");
    this.project = s.optional("project");
  }

  /** Creates an instance; the key is required only for api.openai.com (local servers need none). */
  public static OpenAiProvider create(Settings s) {
    String base = s.string("baseUrl", DEFAULT_BASE_URL);
    boolean official = base.contains("api.openai.com");
    return new OpenAiProvider(s, s.apiKey(KEY_ENV, official));
  }

  private static boolean isOfficial(String host) {
    return host.equalsIgnoreCase("api.openai.com");
  }

  @Override
  protected HttpRequest newRequest(ProviderRequest request, boolean streaming) {
    ObjectNode body = Json.object();
    body.put("model", model);
    ArrayNode messages = body.putArray("messages");
    String schema = Prompts.schema(request);
    String system = Prompts.system(request, schema != null && !jsonMode.equals("json_schema"));
    if (system != null) {
      messages.addObject().put("role", "system").put("content", system);
    }
    messages.addObject().put("role", "user").put("content", Prompts.user(request));
    body.put(maxTokensField, maxTokens(request));
    if (temperature != null) {
      body.put("temperature", temperature);
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
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    if (organization != null) {
      b.header("OpenAI-Organization", organization);
    }
    if (project != null) {
      b.header("OpenAI-Project", project);
    }
    return b.build();
  }

  @Override
  protected HttpRequest probeRequest() {
    HttpRequest.Builder b = HealthProbe.get(resolve("/models"));
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    return b.build();
  }

  @Override
  protected ProviderResponse parseResponse(JsonNode body) throws ProviderException {
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
    return reply(text, usage(body.get("usage"), text), answeringModel, Json.text(body, "id"));
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

  private static TokenUsage usage(@Nullable JsonNode u, String text) {
    if (!Json.present(u)) {
      // some OpenAI-compatible servers report no usage: count roughly rather than call it free
      return TokenUsage.of(0, Estimates.tokens(text));
    }
    return OpenAiUsage.of(u);
  }

  private static TokenUsage reported(@Nullable JsonNode u) {
    return Json.present(u) && u.isObject() ? OpenAiUsage.of(u) : TokenUsage.NONE;
  }

  private static @Nullable TokenUsage reportedOrNull(@Nullable JsonNode u) {
    return Json.present(u) && u.isObject() ? OpenAiUsage.of(u) : null;
  }

  @Override
  protected StreamAssembler newAssembler() {
    return new StreamAssembler() {
      private final StringBuilder text = new StringBuilder();
      private final StringBuilder refusal = new StringBuilder();
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
        return reply(t, usage(usage, t), answeringModel, id);
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
  protected ProviderException errorFrom(int status, HttpHeaders headers, String body) {
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
