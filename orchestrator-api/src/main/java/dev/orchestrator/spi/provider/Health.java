package dev.orchestrator.spi.provider;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a provider's health probe found ({@link AiProvider#probe()}): whether it answers, how fast, and in words why
 * not. Immutable.
 *
 * @param status up, down, or unknown (the provider has no probe)
 * @param latency how long the probe took, or null when it was not made
 * @param detail for people: what was asked and what came back, or why it could not be asked; never a secret
 * @since 0.1
 */
public record Health(Status status, @Nullable Duration latency, String detail) {
  /** A probe's verdict. */
  public enum Status {
    /** The provider answered: calls can be expected to work. */
    UP,
    /** It did not answer, or answered that calls will fail (a refused key, a server error). */
    DOWN,
    /** Not probed: the provider has no probe, or it cannot tell. */
    UNKNOWN
  }

  public Health {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  /** The provider answered in {@code latency}. */
  public static Health up(Duration latency, String detail) {
    return new Health(Status.UP, Objects.requireNonNull(latency, "latency"), detail);
  }

  /** The provider did not answer as calls need, after {@code latency} (null when no answer came at all). */
  public static Health down(@Nullable Duration latency, String detail) {
    return new Health(Status.DOWN, latency, detail);
  }

  /** Not probed, and why. */
  public static Health unknown(String detail) {
    return new Health(Status.UNKNOWN, null, detail);
  }
}
