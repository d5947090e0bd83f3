package dev.orchestrator.core.internal;

import dev.orchestrator.Scheduler;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.provider.CallCancellation;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.workflow.PromptTemplate;
import dev.orchestrator.workflow.TaskSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A task of a run as the engine schedules it. Confined to the engine's drain loop, except {@link #record}, which
 * other threads may read (it is immutable and published through the store).
 *
 * <p>A run holds one node per task until it is dropped, so a node keeps only what every task needs; what few tasks
 * ever set (reviews, guard repairs, questions, budget reservations, failover counts) lives in {@link Extras},
 * allocated on first write. A submitted run's nodes read their dependencies from the workflow and their dependants
 * from its {@link WorkflowPlan}, shared by all its runs.
 */
final class TaskNode {
  final RunState run;
  final TaskSpec spec;
  final int index;
  /** Its dependencies when its run has no {@link RunState#plan}; read them through {@link #dependency}. */
  final int[] dependencies;
  /** Its dependants when its run has no {@link RunState#plan}; read them through {@link #dependent}. */
  int[] dependents = EMPTY;
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
  /** Whether its call in flight is its provider's half-open probe. */
  boolean probe;
  BigDecimal reserved = BigDecimal.ZERO;
  /**
   * Whether its call in flight was made with no bound on its cost (an unknown estimate where no limit applies): what
   * it costs then exceeds no promise, and is no overrun.
   */
  boolean unbounded;

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
  /** The cancellation signal in the context of {@link #call}, cancelled with it; null when no call is in flight. */
  @Nullable CallCancellation cancellation;
  Scheduler.@Nullable Cancellable timer;
  @Nullable String output;
  private @Nullable Extras extras;

  static final int[] EMPTY = new int[0];

  /** What few tasks need, kept apart so that the others do not carry it. */
  static final class Extras {
    int reviewRound;
    /** The author's output waiting for the review's verdict, and the feedback of the last rejection. */
    @Nullable String pendingOutput;
    @Nullable String feedback;
    /** The author's request (as its guards let it go) while its answer is reviewed, for shadow evaluation. */
    dev.orchestrator.spi.provider.@Nullable ProviderRequest shadowRequest;
    /** Repair instructions from an output guard, used once. */
    @Nullable String repair;
    boolean repairUsed;
    /** Failures on {@link #slot} since it was chosen. */
    int failuresOnSlot;
    /** The budget accounts its call in flight reserved on, or null. */
    @Nullable List<Account> reservedKeys;
    /** The id of its call's reservation in the store's ledger, or null. */
    @Nullable String reservationId;
    /** The worst case that did not fit when a budget paused it. */
    BigDecimal pausedEstimate = BigDecimal.ZERO;
    /** Questions and answers so far, in pairs. */
    @Nullable List<String> dialogue;
    @Nullable String openQuestionId;
    /** The candidates in the order a learning strategy chose for this task, or null for the shared order. */
    Slot @Nullable [] order;
    /** The conversation of its call in flight with collaborators, or one a budget paused; null otherwise. */
    @Nullable Conversation conversation;
    /** Its review rounds as the author's and the reviewer's conversations, while it is reviewed. */
    ReviewDialogue.@Nullable Thread reviewThread;
  }

  /** A node of a run without a {@link RunState#plan}: it brings its dependencies and candidates. */
  TaskNode(RunState run, TaskSpec spec, int index, int[] dependencies, Slot[] candidates, TaskRecord record) {
    this(run, spec, index, dependencies, candidates[0], record);
    if (run.candidates.length <= index) {
      run.candidates = java.util.Arrays.copyOf(run.candidates, Math.max(index + 1, run.candidates.length * 2));
    }
    run.candidates[index] = candidates;
  }

  /** A node of a run with a {@link RunState#plan}, which holds its dependants and candidate group. */
  TaskNode(RunState run, TaskSpec spec, int index, TaskRecord record) {
    this(run, spec, index, EMPTY, run.candidates[run.plan.group(index)][0], record);
    this.pending = run.workflow.dependencyCount(index);
  }

  private TaskNode(RunState run, TaskSpec spec, int index, int[] dependencies, Slot first, TaskRecord record) {
    this.run = run;
    this.spec = spec;
    this.index = index;
    this.dependencies = dependencies;
    this.slot = first;
    this.callSlot = first;
    this.reviewSlot = first;
    this.record = record;
    this.pending = dependencies.length;
    this.priority = spec.priority();
    this.lane = spec.priority().ordinal();
  }

  /** The providers it may run on, in order of preference; the first is its assigned one. Shared: never write it. */
  Slot[] candidates() {
    Extras e = extras;
    if (e != null && e.order != null) {
      return e.order;
    }
    WorkflowPlan p = run.plan;
    return run.candidates[p != null ? p.group(index) : index];
  }

  int dependencyCount() {
    return run.plan != null ? run.workflow.dependencyCount(index) : dependencies.length;
  }

  /** The position in the run of its {@code k}th dependency. */
  int dependency(int k) {
    return run.plan != null ? run.workflow.dependency(index, k) : dependencies[k];
  }

  int dependentCount() {
    WorkflowPlan p = run.plan;
    return p != null ? p.dependentCount(index) : dependents.length;
  }

  /** The position in the run of the {@code k}th task that depends on it. */
  int dependent(int k) {
    WorkflowPlan p = run.plan;
    return p != null ? p.dependent(index, k) : dependents[k];
  }

  TaskState state() {
    return record.state();
  }

  String id() {
    return spec.id();
  }

  /** The instructions as a template, or null when they have no placeholder. */
  @Nullable PromptTemplate prompt() {
    return run.workflow.promptIfTemplated(index);
  }

  /** Its rarely set state, allocated now if it was not: for writing. */
  Extras extras() {
    Extras e = extras;
    if (e == null) {
      e = new Extras();
      extras = e;
    }
    return e;
  }

  int reviewRound() {
    return extras == null ? 0 : extras.reviewRound;
  }

  @Nullable String pendingOutput() {
    return extras == null ? null : extras.pendingOutput;
  }

  @Nullable String feedback() {
    return extras == null ? null : extras.feedback;
  }

  @Nullable String repair() {
    return extras == null ? null : extras.repair;
  }

  boolean repairUsed() {
    return extras != null && extras.repairUsed;
  }

  /** Forgets a guard's repair instructions (they were used). */
  void clearRepair() {
    if (extras != null) {
      extras.repair = null;
    }
  }

  int failuresOnSlot() {
    return extras == null ? 0 : extras.failuresOnSlot;
  }

  /** A new provider was chosen: no failure on it yet. */
  void resetFailuresOnSlot() {
    if (extras != null) {
      extras.failuresOnSlot = 0;
    }
  }

  @Nullable List<Account> reservedKeys() {
    return extras == null ? null : extras.reservedKeys;
  }

  @Nullable String reservationId() {
    return extras == null ? null : extras.reservationId;
  }

  /** Its review rounds so far, or null. */
  ReviewDialogue.@Nullable Thread conversationOfReview() {
    return extras == null ? null : extras.reviewThread;
  }

  /** Its conversation with collaborators in flight or paused, or null. */
  @Nullable Conversation conversation() {
    return extras == null ? null : extras.conversation;
  }

  /** Forgets the call's reservation (it was settled or released). */
  void clearReservation() {
    if (extras != null) {
      extras.reservedKeys = null;
      extras.reservationId = null;
    }
  }

  BigDecimal pausedEstimate() {
    return extras == null ? BigDecimal.ZERO : extras.pausedEstimate;
  }

  /** Questions and answers so far, in pairs, or null. */
  @Nullable List<String> dialogue() {
    return extras == null ? null : extras.dialogue;
  }

  @Nullable String openQuestionId() {
    return extras == null ? null : extras.openQuestionId;
  }

  void openQuestionId(@Nullable String id) {
    if (id != null || extras != null) {
      extras().openQuestionId = id;
    }
  }

  void addDialogue(String question, String answer) {
    Extras e = extras();
    if (e.dialogue == null) {
      e.dialogue = new ArrayList<>(2);
    }
    e.dialogue.add(question);
    e.dialogue.add(answer);
  }

  @Nullable String lastAnswer() {
    List<String> d = dialogue();
    return d == null ? null : d.get(d.size() - 1);
  }
}
