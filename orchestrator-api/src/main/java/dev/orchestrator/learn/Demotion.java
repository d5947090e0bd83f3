package dev.orchestrator.learn;

import java.time.Instant;
import java.util.Objects;

/**
 * A provider instance set aside for one task type because it failed too often there: strategies offer it last until
 * {@link #retryAt()}, when it is tried again with a clean slate for that type. Immutable and thread-safe.
 *
 * @param provider the provider instance
 * @param taskType the task type it is demoted for
 * @param since when it was demoted (the failure that crossed the threshold)
 * @param retryAt when it is tried again
 * @param failures the failures among the recent outcomes that crossed the threshold
 * @param sample the recent outcomes counted
 * @param evidence the evidence in words, such as
 *     {@code "claude failed 7 of its last 10 code_generation attempts (70% >= 60%); retried at 2026-05-01T10:00Z"}
 * @since 0.1
 */
public record Demotion(String provider, String taskType, Instant since, Instant retryAt, int failures, int sample,
    String evidence) {
  public Demotion {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(retryAt, "retryAt");
    Objects.requireNonNull(evidence, "evidence");
    if (retryAt.isBefore(since)) {
      throw new IllegalArgumentException("retryAt must not be before since (was since=" + since + ", retryAt="
          + retryAt + ")");
    }
    if (sample < 1 || failures < 0 || failures > sample) {
      throw new IllegalArgumentException("failures and sample must satisfy 0 <= failures <= sample, sample >= 1 (was "
          + failures + " of " + sample + ")");
    }
  }

  /** The failure rate that crossed the threshold, 0 to 1. */
  public double failureRate() {
    return failures / (double) sample;
  }

  /** Whether the demotion still holds at {@code at}: before {@link #retryAt()}. */
  public boolean activeAt(Instant at) {
    return at.isBefore(retryAt);
  }
}
