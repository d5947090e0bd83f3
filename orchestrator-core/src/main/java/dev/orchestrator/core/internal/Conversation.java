package dev.orchestrator.core.internal;

import dev.orchestrator.Scheduler;
import dev.orchestrator.spi.provider.CallCancellation;
import dev.orchestrator.spi.provider.Message;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.provider.ToolCall;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.LimitBreach;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One attempt's conversation between a task's provider (the author) and its collaborators: the messages so far, the
 * questions asked, what the turns already settled cost, and the turn in flight. Kept on the task while its call is in
 * flight, and while a budget holds the conversation back (it goes on from its messages when the task resumes).
 * Confined to the drain loop.
 */
final class Conversation {
  /** The task's limit of questions. */
  final int maxExchanges;
  /** The conversation after the system prompt: the task's prompt, then the author's turns and the answers. */
  final List<Message> messages = new ArrayList<>();
  /** Questions sent to a collaborator (refused ones do not count). */
  int exchanges;
  /** Questions the author asked after it was told the limit was reached. */
  int pastLimit;
  /** Whether the author's provider takes the ask tool natively (else the text protocol). */
  boolean nativeTools;
  /** The author's provider and the request of its first turn (system prompt, tools, limits). */
  @Nullable Slot author;
  @Nullable ProviderRequest request;
  /** What the turns settled during the call cost (the author's earlier turns and the consultations). */
  CallCost spent = CallCost.NONE;
  /** The future the pipeline watches: the author's final reply, or its failure. */
  @Nullable CompletableFuture<ProviderResponse> out;
  /** The provider call in flight (an author turn or a consultation), its cancellation, and a retry's timer. */
  @Nullable CompletableFuture<ProviderResponse> inFlight;
  @Nullable CallCancellation subCancellation;
  Scheduler.@Nullable Cancellable timer;
  /** The consultation's reservation in flight. */
  final Turn consultTurn = new Turn();
  /** The slot of the consultation in flight. */
  @Nullable Slot consulted;
  /** The asks of the author's latest turn not yet handled. */
  final ArrayDeque<ToolCall> pending = new ArrayDeque<>();
  /** Where the author's latest turn starts in {@link #messages}, and the exchanges before it. */
  int turnStart;
  int exchangesAtTurnStart;
  /** The author's latest turn's reply, charged to the first question it asked. */
  @Nullable ProviderResponse askingReply;
  @Nullable CallCost askingCost;
  /** The limit that stopped the conversation: the task pauses, and the conversation resumes from its messages. */
  @Nullable LimitBreach pausedBy;
  /** Whether the call was stopped (cancelled or timed out): late results are dropped. */
  boolean stopped;

  Conversation(int maxExchanges) {
    this.maxExchanges = maxExchanges;
  }

  /** A turn's budget reservation. */
  static final class Turn {
    @Nullable List<Account> keys;
    @Nullable String reservationId;
    BigDecimal reserved = BigDecimal.ZERO;
    boolean unbounded;
    /** Why the turn may not be made though no limit breaks (its cost cannot be bounded under one), or null. */
    @Nullable String refusal;

    void clear() {
      keys = null;
      reservationId = null;
      reserved = BigDecimal.ZERO;
      unbounded = false;
      refusal = null;
    }
  }
}
