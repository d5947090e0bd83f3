package dev.orchestrator.policy;

import org.jspecify.annotations.Nullable;

/**
 * How fast one provider may be called, over any sliding minute: calls started, and estimated tokens (input plus
 * expected output). Tasks over the limit wait in {@code READY}; they never fail for it. Immutable and thread-safe.
 *
 * <p>Each limit is named where it is given, so the two numbers cannot be swapped:
 *
 * <pre>{@code
 * RateLimit calls = RateLimit.requestsPerMinute(50);
 * RateLimit both = RateLimit.requestsPerMinute(50).andTokensPerMinute(40_000);
 * RateLimit tokens = RateLimit.tokensPerMinute(40_000);
 * }</pre>
 *
 * <p>0 means no limit of that kind; {@link #none()} has neither.
 *
 * @since 0.1
 */
public final class RateLimit {
  private static final RateLimit NONE = new RateLimit(0, 0);

  private final int requestsPerMinute;
  private final long tokensPerMinute;

  private RateLimit(int requestsPerMinute, long tokensPerMinute) {
    this.requestsPerMinute = checkRequests(requestsPerMinute);
    this.tokensPerMinute = checkTokens(tokensPerMinute);
  }

  /**
   * A limit on calls started per minute only.
   *
   * @param requests calls per minute, or 0 for no limit
   * @throws IllegalArgumentException when {@code requests} is negative
   */
  public static RateLimit requestsPerMinute(int requests) {
    return new RateLimit(requests, 0);
  }

  /**
   * A limit on estimated tokens per minute only.
   *
   * @param tokens estimated tokens (input plus expected output) per minute, or 0 for no limit
   * @throws IllegalArgumentException when {@code tokens} is negative
   */
  public static RateLimit tokensPerMinute(long tokens) {
    return new RateLimit(0, tokens);
  }

  /** No limit. */
  public static RateLimit none() {
    return NONE;
  }

  /**
   * This limit on calls, and at most {@code tokens} estimated tokens per minute (replacing this limit's token
   * limit).
   *
   * @param tokens estimated tokens per minute, or 0 for no limit
   * @throws IllegalArgumentException when {@code tokens} is negative
   */
  public RateLimit andTokensPerMinute(long tokens) {
    return new RateLimit(requestsPerMinute, tokens);
  }

  /**
   * This limit on tokens, and at most {@code requests} calls started per minute (replacing this limit's call limit).
   *
   * @param requests calls per minute, or 0 for no limit
   * @throws IllegalArgumentException when {@code requests} is negative
   */
  public RateLimit andRequestsPerMinute(int requests) {
    return new RateLimit(requests, tokensPerMinute);
  }

  /** Calls started per minute, or 0 for no limit. */
  public int requestsPerMinute() {
    return requestsPerMinute;
  }

  /** Estimated tokens (input plus expected output) per minute, or 0 for no limit. */
  public long tokensPerMinute() {
    return tokensPerMinute;
  }

  private static int checkRequests(int requests) {
    if (requests < 0) {
      throw new IllegalArgumentException("requestsPerMinute must be >= 0 (was " + requests
          + "): give the calls allowed per minute, or 0 for no limit");
    }
    return requests;
  }

  private static long checkTokens(long tokens) {
    if (tokens < 0) {
      throw new IllegalArgumentException(
          "tokensPerMinute must be >= 0 (was " + tokens + "): give the tokens allowed per minute, or 0 for no limit");
    }
    return tokens;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RateLimit r && r.requestsPerMinute == requestsPerMinute
        && r.tokensPerMinute == tokensPerMinute;
  }

  @Override
  public int hashCode() {
    return 31 * Integer.hashCode(requestsPerMinute) + Long.hashCode(tokensPerMinute);
  }

  @Override
  public String toString() {
    return "RateLimit[requestsPerMinute=" + requestsPerMinute + ", tokensPerMinute=" + tokensPerMinute + "]";
  }
}
