package dev.orchestrator.providers.http;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Counts the prompt tokens of a call, never fewer than the vendor bills: {@link #count} for a text, plus
 * {@link #perMessage()} for each message's framing and {@link #perRequest()} for the reply's priming. Immutable and
 * thread-safe.
 *
 * <p>Two kinds:
 * <ul>
 * <li><b>The vendor's tokenizer</b>, where it is published: OpenAI's {@code o200k_base} (gpt-4o, gpt-4.1, gpt-4.5,
 *     gpt-5 and later, the o-series, gpt-oss) and {@code cl100k_base} (gpt-4, gpt-3.5). The text count is exact.
 *     OpenAI documents the chat framing as 3 tokens per message ({@code <|start|>role<|message|>...<|end|>}; 4 for
 *     older snapshots) and 3 for priming the reply ({@code <|start|>assistant<|message|>}); we count 4 per message and
 *     8 per request, above every figure it publishes.
 * <li><b>UTF-8 bytes</b>, for every other vendor and model (Anthropic, Gemini, models on OpenAI-compatible servers):
 *     byte-level BPE and SentencePiece with byte fallback give every token at least one byte of the text, so a text
 *     never has more tokens than UTF-8 bytes, in any script (a CJK character is 3 bytes and at most 3 tokens). The
 *     framing adds role markers and separators of a few tokens; we count 16 per message and 16 per request.
 * </ul>
 * {@link #typical} is the likely count (the exact one, or a quarter of the bytes), for expected costs only.
 */
public abstract sealed class TokenCounter {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  private static final Pattern O200K = Pattern.compile(
      "^(gpt-4o|chatgpt-4o|gpt-4\\.1|gpt-4\\.5|gpt-([5-9]|\\d{2,})|gpt-oss|gpt-image|o\\d+|codex-mini).*");
  private static final Pattern CL100K = Pattern.compile("^(gpt-4|gpt-3\\.5|gpt-35).*");
  private static final TokenCounter BYTES = new Utf8Bytes();

  private TokenCounter() {}

  /**
   * The counter for a provider type and model: OpenAI's tokenizer for OpenAI's models on an {@code openai} provider
   * (an {@code openai/} prefix, as routers write it, is ignored), the byte bound for everything else.
   */
  public static TokenCounter forModel(String type, @Nullable String model) {
    if (!"openai".equals(type) || model == null) {
      return BYTES;
    }
    String m = model.trim().toLowerCase(Locale.ROOT);
    m = m.startsWith("openai/") ? m.substring("openai/".length()) : m;
    if (O200K.matcher(m).matches()) {
      return new Tokenizer(EncodingType.O200K_BASE);
    }
    if (CL100K.matcher(m).matches()) {
      return new Tokenizer(EncodingType.CL100K_BASE);
    }
    return BYTES;
  }

  /** The byte bound, for vendors without a published tokenizer. */
  public static TokenCounter bytes() {
    return BYTES;
  }

  /** The tokens of a text, never fewer than the vendor's tokenizer gives. */
  public abstract long count(String text);

  /** The likely tokens of a text. */
  public abstract long typical(String text);

  /** The tokens each message's framing adds. */
  public abstract int perMessage();

  /** The tokens a request adds once, for priming the reply. */
  public abstract int perRequest();

  /** The counter's name: an encoding's, or {@code utf8-bytes}. */
  public abstract String name();

  @Override
  public String toString() {
    return name();
  }

  private static final class Tokenizer extends TokenCounter {
    private final Encoding encoding;

    Tokenizer(EncodingType type) {
      this.encoding = REGISTRY.getEncoding(type);
    }

    @Override
    public long count(String text) {
      // a prompt that contains "<|endoftext|>" is sent as text: count it as text, not as the special token
      return encoding.countTokensOrdinary(text);
    }

    @Override
    public long typical(String text) {
      return count(text);
    }

    @Override
    public int perMessage() {
      return 4;
    }

    @Override
    public int perRequest() {
      return 8;
    }

    @Override
    public String name() {
      return encoding.getName();
    }
  }

  private static final class Utf8Bytes extends TokenCounter {
    @Override
    public long count(String text) {
      return utf8Length(text);
    }

    @Override
    public long typical(String text) {
      return (utf8Length(text) + 3) / 4;
    }

    @Override
    public int perMessage() {
      return 16;
    }

    @Override
    public int perRequest() {
      return 16;
    }

    @Override
    public String name() {
      return "utf8-bytes";
    }

    private static long utf8Length(String text) {
      return text.getBytes(StandardCharsets.UTF_8).length;
    }
  }
}
