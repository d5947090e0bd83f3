package dev.orchestrator.policy;

/**
 * How fast one provider may be called, over any sliding minute. Tasks over the limit wait in {@code READY}; they
 * never fail for it.
 *
 * @param requestsPerMinute calls started per minute, or 0 for no limit
 * @param tokensPerMinute estimated tokens (input plus expected output) per minute, or 0 for no limit
 */
public record RateLimit(int requestsPerMinute, long tokensPerMinute) {
  public RateLimit {
    if (requestsPerMinute < 0) {
      throw new IllegalArgumentException("requestsPerMinute must be >= 0 (was " + requestsPerMinute + ")");
    }
    if (tokensPerMinute < 0) {
      throw new IllegalArgumentException("tokensPerMinute must be >= 0 (was " + tokensPerMinute + ")");
    }
  }

  /** A limit on calls per minute only. */
  public static RateLimit requestsPerMinute(int requests) {
    return new RateLimit(requests, 0);
  }

  /** No limit. */
  public static RateLimit none() {
    return new RateLimit(0, 0);
  }
}
