package dev.orchestrator.core.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a task on a provider as it passes through the {@link CallPipeline}: what the steps before the call
 * decide (the request), and what the call brought back for the steps after it. Confined to
 * the drain loop.
 */
final class Call {
  final TaskNode node;
  /** The provider it was taken from: the task's own, or its reviewer's. */
  final Slot slot;
  /** Whether it reviews the author's output rather than produces it. */
  final boolean review;
  /** What the provider is sent; steps before the call may replace it (a redacting guard). */
  @Nullable ProviderRequest request;

  /** The reply, or null when the call failed without one. */
  @Nullable ProviderResponse response;
  /** What the call cost, decided by its reply or its failure ({@link CallCost#of}). */
  CallCost cost = CallCost.NONE;
  /** Why it failed, or null when it succeeded. */
  @Nullable ErrorKind kind;
  @Nullable String message;
  /** Whether the provider said a retry may help, or null when the failure's kind decides. */
  @Nullable Boolean retryable;
  /** How long the provider asked to be left alone, or null. */
  @Nullable Duration retryAfter;
  /** The reviewer's verdict, when a review succeeded. */
  Verdicts.@Nullable Verdict verdict;
  /** When the attempt ended, stamped once its cost is settled. */
  @Nullable Instant endedAt;
  /** The output as the steps so far accepted it. */
  @Nullable String text;

  Call(TaskNode node, Slot slot) {
    this.node = node;
    this.slot = slot;
    this.review = node.reviewing;
  }

  boolean failed() {
    return kind != null;
  }
}
