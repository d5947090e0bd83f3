package dev.orchestrator.spi.provider;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a provider's health probe found ({@link AiProvider#probe()}): whether it answers, how fast, and in words why
 * not. Create one with {@link #up}, {@link #down} or {@link #unknown}; the constructor is private, so a probe's
 * result can learn more without breaking plugins. Immutable and thread-safe; two results are equal when every value
 * is equal.
 *
 * <pre>{@code
 * return Health.up(Duration.ofMillis(120), "GET /v1/models answered 200");
 * }</pre>
 *
 * @since 0.1
 */
public final class Health {
  /** A probe's verdict. */
  public enum Status {
    /** The provider answered: calls can be expected to work. */
    UP,
    /** It did not answer, or answered that calls will fail (a refused key, a server error). */
    DOWN,
    /** Not probed: the provider has no probe, or it cannot tell. */
    UNKNOWN
  }

  private final Status status;
  private final @Nullable Duration latency;
  private final String detail;

  private Health(Status status, @Nullable Duration latency, String detail) {
    this.status = status;
    this.latency = latency;
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  /**
   * The provider answered in {@code latency}.
   *
   * @param detail for people: what was asked and what came back; never a secret
   */
  public static Health up(Duration latency, String detail) {
    return new Health(Status.UP, Objects.requireNonNull(latency, "latency"), detail);
  }

  /**
   * The provider did not answer as calls need, after {@code latency} (null when no answer came at all).
   *
   * @param detail for people: what was asked and what came back, or why it could not be asked; never a secret
   */
  public static Health down(@Nullable Duration latency, String detail) {
    return new Health(Status.DOWN, latency, detail);
  }

  /** Not probed, and why. */
  public static Health unknown(String detail) {
    return new Health(Status.UNKNOWN, null, detail);
  }

  /** Up, down, or unknown (the provider has no probe). */
  public Status status() {
    return status;
  }

  /** How long the probe took, or null when it was not made. */
  public @Nullable Duration latency() {
    return latency;
  }

  /** For people: what was asked and what came back, or why it could not be asked; never a secret. */
  public String detail() {
    return detail;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Health h && status == h.status && Objects.equals(latency, h.latency)
        && detail.equals(h.detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, latency, detail);
  }

  @Override
  public String toString() {
    return "Health[status=" + status + ", latency=" + latency + ", detail=" + detail + "]";
  }
}
