package dev.orchestrator.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.TokenUsage;

/**
 * Reads a Chat Completions {@code usage} object by OpenAI's rules. {@code prompt_tokens} already holds every prompt
 * token, the cached ({@code prompt_tokens_details.cached_tokens}), audio ({@code .audio_tokens}) and image
 * ({@code .image_tokens}, where reported) ones among them; {@code completion_tokens} already holds every generated
 * token billed as output: reasoning ({@code completion_tokens_details.reasoning_tokens}), audio ({@code .audio_tokens})
 * and predicted-output tokens, accepted or rejected (rejected ones are billed although they are not in the reply). So
 * the totals are taken as they are and the details only say which rate each part is billed at.
 */
final class OpenAiUsage {
  private OpenAiUsage() {}

  /** The normalised usage of a reply's (or a stream's final chunk's) {@code usage} object. */
  static TokenUsage of(JsonNode u) {
    JsonNode prompt = u.get("prompt_tokens_details");
    JsonNode completion = u.get("completion_tokens_details");
    long in = Json.count(u, "prompt_tokens");
    long out = Json.count(u, "completion_tokens");
    long audioIn = Math.min(in, Json.count(prompt, "audio_tokens"));
    long imageIn = Math.min(in - audioIn, Json.count(prompt, "image_tokens"));
    long audioOut = Math.min(out, Json.count(completion, "audio_tokens"));
    return TokenUsage.builder()
        .input(in)
        .cachedInput(Math.min(in, Json.count(prompt, "cached_tokens")))
        .audioInput(audioIn)
        .imageInput(imageIn)
        .output(out)
        .reasoning(Math.min(out, Json.count(completion, "reasoning_tokens")))
        .audioOutput(audioOut)
        .build();
  }
}
