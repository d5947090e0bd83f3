package dev.orchestrator.providers.internal.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.Json;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code usageMetadata} by the Gemini API's rules. {@code promptTokenCount} holds every prompt token, the cached
 * ones ({@code cachedContentTokenCount}) among them; {@code toolUsePromptTokenCount} (what tools such as search or code
 * execution fed back) is <em>not</em> in it and is billed at the input rates, so it is added to the input.
 * {@code candidatesTokenCount} does <em>not</em> hold the thinking tokens ({@code thoughtsTokenCount}), which are billed
 * as output, so the two are added and the thoughts are the reasoning. {@code promptTokensDetails},
 * {@code toolUsePromptTokensDetails} and {@code candidatesTokensDetails} give counts by modality: {@code AUDIO} and
 * {@code IMAGE} ones are billed at their own rates. A stream's {@code usageMetadata} is cumulative: the last one seen
 * is the call's.
 */
final class GeminiUsage {
  private GeminiUsage() {}

  /** The normalised usage of a {@code usageMetadata} object; NONE when absent. */
  static TokenUsage of(@Nullable JsonNode u) {
    if (u == null || !Json.present(u) || !u.isObject()) {
      return TokenUsage.NONE;
    }
    long in = Json.count(u, "promptTokenCount") + Json.count(u, "toolUsePromptTokenCount");
    long thoughts = Json.count(u, "thoughtsTokenCount");
    long out = Json.count(u, "candidatesTokenCount") + thoughts;
    JsonNode prompt = u.get("promptTokensDetails");
    JsonNode tools = u.get("toolUsePromptTokensDetails");
    JsonNode candidates = u.get("candidatesTokensDetails");
    long audioIn = Math.min(in, modality(prompt, "AUDIO") + modality(tools, "AUDIO"));
    long imageIn = Math.min(in - audioIn, modality(prompt, "IMAGE") + modality(tools, "IMAGE"));
    long audioOut = Math.min(out, modality(candidates, "AUDIO"));
    long imageOut = Math.min(out - audioOut, modality(candidates, "IMAGE"));
    return TokenUsage.builder()
        .input(in)
        .cachedInput(Math.min(in, Json.count(u, "cachedContentTokenCount")))
        .audioInput(audioIn)
        .imageInput(imageIn)
        .output(out)
        .reasoning(thoughts)
        .audioOutput(audioOut)
        .imageOutput(imageOut)
        .build();
  }

  /** The tokens of one modality in a {@code [{"modality": ..., "tokenCount": ...}]} list. */
  private static long modality(@Nullable JsonNode details, String modality) {
    long n = 0;
    if (details != null && details.isArray()) {
      for (JsonNode d : details) {
        if (modality.equals(Json.text(d, "modality"))) {
          n += Json.count(d, "tokenCount");
        }
      }
    }
    return n;
  }
}
