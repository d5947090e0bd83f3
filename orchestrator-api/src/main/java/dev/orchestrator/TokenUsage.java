package dev.orchestrator;

/**
 * Tokens a provider call consumed, normalised from each vendor's own usage report (docs/providers.md says how for
 * each vendor). Every count is of tokens the vendor bills: {@link #inputTokens} holds every prompt token whatever its
 * rate, and the other input counts are parts of it; {@link #outputTokens} holds every generated token, reasoning
 * included, and the other output counts are parts of it.
 *
 * @param inputTokens every prompt token billed: uncached, read from the cache, written to it, audio, image and
 *     tool-use prompt tokens
 * @param outputTokens every generated token billed: text, reasoning (thinking) and audio or image output
 * @param cachedInputTokens prompt tokens read from the provider's cache (part of input)
 * @param cacheWriteTokens prompt tokens written to the provider's cache, whatever their time to live (part of input)
 * @param reasoningTokens output tokens spent on hidden reasoning (part of output)
 * @param cacheWrite1hTokens cache writes kept for one hour, billed at their own rate (part of cacheWrite; the rest
 *     of the writes are the five-minute kind)
 * @param audioInputTokens prompt tokens of audio (part of input; cached ones included)
 * @param audioOutputTokens generated tokens of audio (part of output)
 * @param imageInputTokens prompt tokens of images (part of input), where a vendor prices them apart
 * @param imageOutputTokens generated tokens of images (part of output)
 * @since 0.1
 */
public record TokenUsage(
    long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteTokens, long reasoningTokens,
    long cacheWrite1hTokens, long audioInputTokens, long audioOutputTokens, long imageInputTokens,
    long imageOutputTokens) {
  /** No tokens. */
  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

  public TokenUsage {
    if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cacheWriteTokens < 0 || reasoningTokens < 0
        || cacheWrite1hTokens < 0 || audioInputTokens < 0 || audioOutputTokens < 0 || imageInputTokens < 0
        || imageOutputTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative (was input=" + inputTokens
          + ", output=" + outputTokens + ", cachedInput=" + cachedInputTokens + ", cacheWrite=" + cacheWriteTokens
          + ", reasoning=" + reasoningTokens + ", cacheWrite1h=" + cacheWrite1hTokens + ", audioInput="
          + audioInputTokens + ", audioOutput=" + audioOutputTokens + ", imageInput=" + imageInputTokens
          + ", imageOutput=" + imageOutputTokens + ")");
    }
  }

  /** Text-only usage: no cache time-to-live split, no audio or image tokens. */
  public TokenUsage(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteTokens,
      long reasoningTokens) {
    this(inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, reasoningTokens, 0, 0, 0, 0, 0);
  }

  /** Plain input and output tokens. */
  public static TokenUsage of(long inputTokens, long outputTokens) {
    return new TokenUsage(inputTokens, outputTokens, 0, 0, 0);
  }

  /** Starts a usage of zero tokens. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this usage's counts, to change some of them. */
  public Builder toBuilder() {
    return new Builder().input(inputTokens).output(outputTokens).cachedInput(cachedInputTokens)
        .cacheWrite(cacheWriteTokens).reasoning(reasoningTokens).cacheWrite1h(cacheWrite1hTokens)
        .audioInput(audioInputTokens).audioOutput(audioOutputTokens).imageInput(imageInputTokens)
        .imageOutput(imageOutputTokens);
  }

  /** The sum of two usages, field by field. */
  public TokenUsage plus(TokenUsage o) {
    return new TokenUsage(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
        cachedInputTokens + o.cachedInputTokens, cacheWriteTokens + o.cacheWriteTokens,
        reasoningTokens + o.reasoningTokens, cacheWrite1hTokens + o.cacheWrite1hTokens,
        audioInputTokens + o.audioInputTokens, audioOutputTokens + o.audioOutputTokens,
        imageInputTokens + o.imageInputTokens, imageOutputTokens + o.imageOutputTokens);
  }

  /** Input plus output tokens. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /** Builds a {@link TokenUsage}. Mutable, not thread-safe. */
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

    Builder() {}

    /** Every prompt token billed. */
    public Builder input(long tokens) {
      this.input = tokens;
      return this;
    }

    /** Every generated token billed. */
    public Builder output(long tokens) {
      this.output = tokens;
      return this;
    }

    public Builder cachedInput(long tokens) {
      this.cachedInput = tokens;
      return this;
    }

    /** Every cache write, one-hour ones included. */
    public Builder cacheWrite(long tokens) {
      this.cacheWrite = tokens;
      return this;
    }

    public Builder reasoning(long tokens) {
      this.reasoning = tokens;
      return this;
    }

    /** The one-hour part of the cache writes. */
    public Builder cacheWrite1h(long tokens) {
      this.cacheWrite1h = tokens;
      return this;
    }

    public Builder audioInput(long tokens) {
      this.audioInput = tokens;
      return this;
    }

    public Builder audioOutput(long tokens) {
      this.audioOutput = tokens;
      return this;
    }

    public Builder imageInput(long tokens) {
      this.imageInput = tokens;
      return this;
    }

    public Builder imageOutput(long tokens) {
      this.imageOutput = tokens;
      return this;
    }

    public TokenUsage build() {
      return new TokenUsage(input, output, cachedInput, cacheWrite, reasoning, cacheWrite1h, audioInput, audioOutput,
          imageInput, imageOutput);
    }
  }
}
