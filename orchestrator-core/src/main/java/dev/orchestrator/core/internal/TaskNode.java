package dev.orchestrator.core.internal;

import dev.orchestrator.Scheduler;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A task of a run as the engine schedules it. Confined to the engine's drain loop, except {@link #record}, which
 * other threads may read (it is immutable and published through the store).
 */
final class TaskNode {
  final RunState run;
  final TaskSpec spec;
  final int index;
  /** The instructions as a template, or null when they have no placeholder. */
  final @Nullable PromptTemplate prompt;
  final int[] dependencies;
  int[] dependents = EMPTY;
  /** The providers it may run on, in order of preference; the first is its assigned one. */
  final Slot[] candidates;
  /** The provider it is queued for or running on. */
  Slot slot;
  /** The provider of the latest call (the author's, or a reviewer's). */
  Slot callSlot;
  /** Reviewers, in order of preference; empty without a review. */
  Slot[] reviewers = NO_REVIEWERS;
  private static final Slot[] NO_REVIEWERS = new Slot[0];
  /** Whether it waits for, or is in, a review call rather than an author call. */
  boolean reviewing;
  Slot reviewSlot;
  int reviewRound;
  /** The author's output waiting for the review's verdict, and the feedback of the last rejection. */
  @Nullable String pendingOutput;
  @Nullable String feedback;
  /** Repair instructions from an output guard, used once. */
  @Nullable String repair;
  boolean repairUsed;
  /** Failures on {@link #slot} since it was chosen. */
  int failuresOnSlot;
  /** Whether its call in flight is its provider's half-open probe. */
  boolean probe;
  /** The budget accounts its call in flight reserved on, or null. */
  java.util.@Nullable List<dev.orchestrator.spi.store.Account> reservedKeys;
  /** The id of its call's reservation in the store's ledger, or null. */
  @Nullable String reservationId;
  java.math.BigDecimal reserved = java.math.BigDecimal.ZERO;
  /**
   * Whether its call in flight was made with no bound on its cost (an unknown estimate where no limit applies): what
   * it costs then exceeds no promise, and is no overrun.
   */
  boolean unbounded;
  /** The worst case that did not fit when a budget paused it. */
  java.math.BigDecimal pausedEstimate = java.math.BigDecimal.ZERO;

  /** How many dependencies have not succeeded yet. */
  int pending;
  volatile TaskRecord record;
  /** Its priority: the spec's, unless changed at run time. */
  dev.orchestrator.Priority priority;
  /** The lane index while READY: 0 high, 1 medium, 2 low. */
  int lane;
  /** When it entered its current lane, in clock millis. */
  long laneSince;
  @Nullable CompletableFuture<ProviderResponse> call;
  Scheduler.@Nullable Cancellable timer;
  @Nullable String output;
  /** Questions and answers so far, in pairs. */
  @Nullable List<String> dialogue;
  @Nullable String openQuestionId;

  static final int[] EMPTY = new int[0];

  TaskNode(RunState run, TaskSpec spec, int index, int[] dependencies, Slot[] candidates, TaskRecord record) {
    this.run = run;
    this.spec = spec;
    this.index = index;
    this.dependencies = dependencies;
    this.candidates = candidates;
    this.slot = candidates[0];
    this.callSlot = candidates[0];
    this.reviewSlot = candidates[0];
    this.record = record;
    this.pending = dependencies.length;
    this.priority = spec.priority();
    this.lane = spec.priority().ordinal();
    this.prompt = run.workflow.promptIfTemplated(index);
  }

  TaskState state() {
    return record.state();
  }

  String id() {
    return spec.id();
  }

  void addDialogue(String question, String answer) {
    if (dialogue == null) {
      dialogue = new ArrayList<>(2);
    }
    dialogue.add(question);
    dialogue.add(answer);
  }

  @Nullable String lastAnswer() {
    return dialogue == null ? null : dialogue.get(dialogue.size() - 1);
  }
}
