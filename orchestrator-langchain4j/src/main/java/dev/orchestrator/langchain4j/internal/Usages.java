package dev.orchestrator.langchain4j.internal;

import dev.orchestrator.TokenUsage;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Normalises a LangChain4j {@code TokenUsage} to ours ({@link TokenUsage}: input holds every prompt token billed,
 * cached ones included; output every generated token, reasoning included).
 *
 * <p>The base type has only input and output counts. The vendor modules subclass it with details this module does not
 * compile against, so they are read by their accessor names, without a dependency on any vendor module:
 * <ul>
 * <li>OpenAI ({@code OpenAiTokenUsage}): {@code inputTokenCount} is {@code prompt_tokens}, which already holds the
 *     cached tokens ({@code inputTokensDetails().cachedTokens()}); {@code outputTokenCount} already holds the reasoning
 *     tokens ({@code outputTokensDetails().reasoningTokens()}). The details only say which rate each part is billed
 *     at.
 * <li>Anthropic ({@code AnthropicTokenUsage}): {@code inputTokenCount} is {@code input_tokens}, which leaves out the
 *     cache reads ({@code cacheReadInputTokens()}) and writes ({@code cacheCreationInputTokens()}); they are added to
 *     the input, as Anthropic bills them.
 * </ul>
 * A detail that cannot be read is taken as zero: the tokens are then billed at the plain input or output rate, which
 * is never below the cache or reasoning rate, so the cost errs high, never low.
 */
public final class Usages {
  private Usages() {}

  /** Our usage of a LangChain4j usage; null when the model reported none. */
  public static @Nullable TokenUsage of(dev.langchain4j.model.output.@Nullable TokenUsage u) {
    if (u == null || (u.inputTokenCount() == null && u.outputTokenCount() == null)) {
      return null;
    }
    long in = count(u.inputTokenCount());
    long out = count(u.outputTokenCount());
    long cacheRead = count(read(u, "cacheReadInputTokens"));
    long cacheWrite = count(read(u, "cacheCreationInputTokens"));
    long cached;
    if (cacheRead > 0 || cacheWrite > 0) {
      in += cacheRead + cacheWrite; // Anthropic counts cache reads and writes apart from input_tokens
      cached = cacheRead;
    } else {
      cached = Math.min(in, count(read(read(u, "inputTokensDetails"), "cachedTokens")));
    }
    long reasoning = Math.min(out, count(read(read(u, "outputTokensDetails"), "reasoningTokens")));
    return TokenUsage.builder().input(in).cachedInput(cached).cacheWrite(cacheWrite).output(out)
        .reasoning(reasoning).build();
  }

  private static long count(@Nullable Object n) {
    return n instanceof Number number ? Math.max(0, number.longValue()) : 0;
  }

  /** The value of a public no-argument accessor, or null when there is none or it fails. */
  private static @Nullable Object read(@Nullable Object target, String accessor) {
    if (target == null) {
      return null;
    }
    try {
      Method m = target.getClass().getMethod(accessor);
      return m.getParameterCount() == 0 ? m.invoke(target) : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
