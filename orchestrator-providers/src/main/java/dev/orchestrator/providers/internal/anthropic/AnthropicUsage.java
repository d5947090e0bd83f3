package dev.orchestrator.providers.internal.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.Json;
import org.jspecify.annotations.Nullable;

/**
 * Reads Messages API usage by Anthropic's rules. {@code input_tokens} counts only the prompt tokens after the last
 * cache breakpoint: cache reads ({@code cache_read_input_tokens}) and cache writes ({@code cache_creation_input_tokens})
 * are <em>not</em> in it, so the normalised input is the three added. {@code cache_creation} splits the writes by time
 * to live ({@code ephemeral_5m_input_tokens}, {@code ephemeral_1h_input_tokens}); the one-hour ones are billed at their
 * own rate. {@code output_tokens} includes extended thinking, which Anthropic does not count apart.
 *
 * <p>A stream reports usage twice or more: {@code message_start} carries the input side (and an early output count),
 * and each {@code message_delta} carries <em>cumulative</em> counts. So every count reported replaces the one before
 * and nothing is summed; a field a later event leaves out keeps its earlier value. One per reply; written by one
 * thread at a time, and read from another through {@link #usage()} (a timeout), so the counts are published safely.
 */
final class AnthropicUsage {
  private volatile TokenUsage usage = TokenUsage.NONE;
  private long input;
  private long cacheRead;
  private long cacheWrite;
  private long cacheWrite5m;
  private long cacheWrite1h;
  private long output;
  private boolean reported;

  /** The usage of a whole reply's {@code usage} object. */
  static TokenUsage of(@Nullable JsonNode u) {
    AnthropicUsage a = new AnthropicUsage();
    a.take(u);
    return a.usage();
  }

  /** Takes the counts a {@code usage} object reports, each replacing the last one seen. */
  void take(@Nullable JsonNode u) {
    if (u == null || !Json.present(u) || !u.isObject()) {
      return;
    }
    reported = true;
    input = latest(u, "input_tokens", input);
    cacheRead = latest(u, "cache_read_input_tokens", cacheRead);
    cacheWrite = latest(u, "cache_creation_input_tokens", cacheWrite);
    output = latest(u, "output_tokens", output);
    JsonNode byLifetime = u.get("cache_creation");
    if (Json.present(byLifetime) && byLifetime.isObject()) {
      cacheWrite5m = latest(byLifetime, "ephemeral_5m_input_tokens", cacheWrite5m);
      cacheWrite1h = latest(byLifetime, "ephemeral_1h_input_tokens", cacheWrite1h);
    }
    // the total and its split are reported side by side; should they ever disagree, bill the larger
    long writes = Math.max(cacheWrite, cacheWrite5m + cacheWrite1h);
    usage = TokenUsage.builder()
        .input(input + cacheRead + writes)
        .cachedInput(cacheRead)
        .cacheWrite(writes)
        .cacheWrite1h(cacheWrite1h)
        .output(output)
        .build();
  }

  /** Whether any usage was reported. */
  boolean reported() {
    return reported;
  }

  /** The usage reported so far; NONE before any. */
  TokenUsage usage() {
    return usage;
  }

  private static long latest(JsonNode u, String field, long previous) {
    JsonNode v = u.get(field);
    return v != null && v.isNumber() ? Math.max(0, v.asLong()) : previous;
  }
}
