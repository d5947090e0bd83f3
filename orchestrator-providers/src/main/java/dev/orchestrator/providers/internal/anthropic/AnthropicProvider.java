package dev.orchestrator.providers.internal.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.TokenUsage;
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
import org.jspecify.annotations.Nullable;

/**
 * The Anthropic Messages API ({@code POST {baseUrl}/v1/messages} with {@code x-api-key} and
 * {@code anthropic-version}). Usage counts cache reads and cache writes; a stream is costed from
 * {@code message_start} and the cumulative {@code message_delta} usage. Thread-safe.
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
    body.putArray("messages").addObject().put("role", "user").put("content", Prompts.user(request));
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
    for (JsonNode block : content) {
      if ("text".equals(Json.text(block, "type"))) {
        text.append(block.path("text").asText(""));
      }
    }
    JsonNode u = body.get("usage");
    checkStop(Json.text(body, "stop_reason"), Json.present(u) ? AnthropicUsage.of(u) : null, answeringModel);
    return reply(text.toString(), AnthropicUsage.of(u), answeringModel, Json.text(body, "id"));
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
          case "content_block_delta" -> {
            JsonNode delta = e.path("delta");
            if ("text_delta".equals(Json.text(delta, "type"))) {
              text.append(delta.path("text").asText(""));
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
            // ping, content_block_start, content_block_stop and future events carry nothing we need
          }
        }
      }

      @Override
      public ProviderResponse finish() throws ProviderException {
        if (!started || !stopped) {
          throw malformed("the stream ended before message_stop (truncated)", usage.usage(), answeringModel);
        }
        checkStop(stopReason, usage.reported() ? usage.usage() : null, answeringModel);
        return reply(text.toString(), usage.usage(), answeringModel, id);
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
