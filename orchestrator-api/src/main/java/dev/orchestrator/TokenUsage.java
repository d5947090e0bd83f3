package dev.orchestrator;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Tokens a provider call consumed, normalised from each vendor's own usage report (docs/providers.md says how for
 * each vendor). Every count is of tokens the vendor bills: {@link #inputTokens} holds every prompt token whatever its
 * rate, and the other input counts are parts of it; {@link #outputTokens} holds every generated token, reasoning
 * included, and the other output counts are parts of it.
 *
 * <p>Create one with {@link #of} (plain input and output) or {@link #builder()}; the constructor is private, so code
 * that reports usage keeps compiling when vendors bill new kinds of tokens. Every count is zero unless set, and none
 * is negative. Immutable and thread-safe; two usages are equal when every count is.
 *
 * <pre>{@code
 * TokenUsage usage = TokenUsage.builder()
 *     .input(3050).cachedInput(2000).cacheWrite(1000)
 *     .output(503)
 *     .build();
 * }</pre>
 *
 * @since 0.1
 */
public final class TokenUsage {
  /** No tokens. */
  public static final TokenUsage NONE = new TokenUsage(new Builder());

  private final long inputTokens;
  private final long outputTokens;
  private final long cachedInputTokens;
  private final long cacheWriteTokens;
  private final long reasoningTokens;
  private final long cacheWrite1hTokens;
  private final long audioInputTokens;
  private final long audioOutputTokens;
  private final long imageInputTokens;
  private final long imageOutputTokens;

  private TokenUsage(Builder b) {
    this.inputTokens = b.input;
    this.outputTokens = b.output;
    this.cachedInputTokens = b.cachedInput;
    this.cacheWriteTokens = b.cacheWrite;
    this.reasoningTokens = b.reasoning;
    this.cacheWrite1hTokens = b.cacheWrite1h;
    this.audioInputTokens = b.audioInput;
    this.audioOutputTokens = b.audioOutput;
    this.imageInputTokens = b.imageInput;
    this.imageOutputTokens = b.imageOutput;
  }

  /**
   * Plain input and output tokens.
   *
   * @throws IllegalArgumentException when a count is negative
   */
  public static TokenUsage of(long inputTokens, long outputTokens) {
    return builder().input(inputTokens).output(outputTokens).build();
  }

  /** Starts a usage of zero tokens. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this usage's counts, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Every prompt token billed: uncached, read from the cache, written to it, audio, image and tool-use ones. */
  public long inputTokens() {
    return inputTokens;
  }

  /** Every generated token billed: text, reasoning (thinking) and audio or image output. */
  public long outputTokens() {
    return outputTokens;
  }

  /** Prompt tokens read from the provider's cache (part of input). */
  public long cachedInputTokens() {
    return cachedInputTokens;
  }

  /** Prompt tokens written to the provider's cache, whatever their time to live (part of input). */
  public long cacheWriteTokens() {
    return cacheWriteTokens;
  }

  /** Output tokens spent on hidden reasoning (part of output). */
  public long reasoningTokens() {
    return reasoningTokens;
  }

  /**
   * Cache writes kept for one hour, billed at their own rate (part of cacheWrite; the rest of the writes are the
   * five-minute kind).
   */
  public long cacheWrite1hTokens() {
    return cacheWrite1hTokens;
  }

  /** Prompt tokens of audio (part of input; cached ones included). */
  public long audioInputTokens() {
    return audioInputTokens;
  }

  /** Generated tokens of audio (part of output). */
  public long audioOutputTokens() {
    return audioOutputTokens;
  }

  /** Prompt tokens of images (part of input), where a vendor prices them apart. */
  public long imageInputTokens() {
    return imageInputTokens;
  }

  /** Generated tokens of images (part of output). */
  public long imageOutputTokens() {
    return imageOutputTokens;
  }

  /** The sum of two usages, count by count. */
  public TokenUsage plus(TokenUsage o) {
    Objects.requireNonNull(o, "o");
    return builder().input(inputTokens + o.inputTokens).output(outputTokens + o.outputTokens)
        .cachedInput(cachedInputTokens + o.cachedInputTokens).cacheWrite(cacheWriteTokens + o.cacheWriteTokens)
        .reasoning(reasoningTokens + o.reasoningTokens).cacheWrite1h(cacheWrite1hTokens + o.cacheWrite1hTokens)
        .audioInput(audioInputTokens + o.audioInputTokens).audioOutput(audioOutputTokens + o.audioOutputTokens)
        .imageInput(imageInputTokens + o.imageInputTokens).imageOutput(imageOutputTokens + o.imageOutputTokens)
        .build();
  }

  /** Input plus output tokens. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TokenUsage u && inputTokens == u.inputTokens && outputTokens == u.outputTokens
        && cachedInputTokens == u.cachedInputTokens && cacheWriteTokens == u.cacheWriteTokens
        && reasoningTokens == u.reasoningTokens && cacheWrite1hTokens == u.cacheWrite1hTokens
        && audioInputTokens == u.audioInputTokens && audioOutputTokens == u.audioOutputTokens
        && imageInputTokens == u.imageInputTokens && imageOutputTokens == u.imageOutputTokens;
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, reasoningTokens,
        cacheWrite1hTokens, audioInputTokens, audioOutputTokens, imageInputTokens, imageOutputTokens);
  }

  @Override
  public String toString() {
    return "TokenUsage[inputTokens=" + inputTokens + ", outputTokens=" + outputTokens + ", cachedInputTokens="
        + cachedInputTokens + ", cacheWriteTokens=" + cacheWriteTokens + ", reasoningTokens=" + reasoningTokens
        + ", cacheWrite1hTokens=" + cacheWrite1hTokens + ", audioInputTokens=" + audioInputTokens
        + ", audioOutputTokens=" + audioOutputTokens + ", imageInputTokens=" + imageInputTokens
        + ", imageOutputTokens=" + imageOutputTokens + "]";
  }

  private static long count(long tokens, String name) {
    if (tokens < 0) {
      throw new IllegalArgumentException(name + " must not be negative (was " + tokens
          + "): give the tokens the vendor billed, or 0 when it reports none");
    }
    return tokens;
  }

  /**
   * Builds a {@link TokenUsage}; every count is zero unless set. Each setter refuses a negative count at once with
   * an {@link IllegalArgumentException} naming the setting and the value, and a refused count is never kept. Mutable
   * and not thread-safe; reusing a builder never changes a usage already built.
   */
  public static final class Builder {
    private long input;
    private long output;
    private long cachedInput;
    private long cacheWrite;
    private long reasoning;
    private long cacheWrite1h;
    private long audioInput;
    private long audioOutput;
    private long imageInput;
    private long imageOutput;

    private Builder() {}

    private Builder(TokenUsage from) {
      this.input = from.inputTokens;
      this.output = from.outputTokens;
      this.cachedInput = from.cachedInputTokens;
      this.cacheWrite = from.cacheWriteTokens;
      this.reasoning = from.reasoningTokens;
      this.cacheWrite1h = from.cacheWrite1hTokens;
      this.audioInput = from.audioInputTokens;
      this.audioOutput = from.audioOutputTokens;
      this.imageInput = from.imageInputTokens;
      this.imageOutput = from.imageOutputTokens;
    }

    /** Every prompt token billed, the parts below included. */
    public Builder input(long tokens) {
      this.input = count(tokens, "input");
      return this;
    }

    /** Every generated token billed, the parts below included. */
    public Builder output(long tokens) {
      this.output = count(tokens, "output");
      return this;
    }

    /** Prompt tokens read from the cache (part of input). */
    public Builder cachedInput(long tokens) {
      this.cachedInput = count(tokens, "cachedInput");
      return this;
    }

    /** Every cache write, one-hour ones included (part of input). */
    public Builder cacheWrite(long tokens) {
      this.cacheWrite = count(tokens, "cacheWrite");
      return this;
    }

    /** Hidden reasoning tokens (part of output). */
    public Builder reasoning(long tokens) {
      this.reasoning = count(tokens, "reasoning");
      return this;
    }

    /** The one-hour part of the cache writes. */
    public Builder cacheWrite1h(long tokens) {
      this.cacheWrite1h = count(tokens, "cacheWrite1h");
      return this;
    }

    /** Prompt tokens of audio (part of input). */
    public Builder audioInput(long tokens) {
      this.audioInput = count(tokens, "audioInput");
      return this;
    }

    /** Generated tokens of audio (part of output). */
    public Builder audioOutput(long tokens) {
      this.audioOutput = count(tokens, "audioOutput");
      return this;
    }

    /** Prompt tokens of images (part of input). */
    public Builder imageInput(long tokens) {
      this.imageInput = count(tokens, "imageInput");
      return this;
    }

    /** Generated tokens of images (part of output). */
    public Builder imageOutput(long tokens) {
      this.imageOutput = count(tokens, "imageOutput");
      return this;
    }

    /** The usage; every count was checked when it was set. */
    public TokenUsage build() {
      return new TokenUsage(this);
    }
  }
}
