package dev.orchestrator.core.internal;

import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.event.MessageExchangedEvent;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Attempt.Outcome;
import dev.orchestrator.spi.provider.CallCancellation;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.Message;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.spi.provider.ToolCall;
import dev.orchestrator.spi.store.LimitBreach;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consultations: a task with {@code collaborators} gives its provider an {@code ask(provider, question)} tool
 * ({@link AskProtocol}), and its call becomes a conversation. Each question goes to the named collaborator as a call
 * of its own: reserved on the budgets before (the collaborator's, the task's, its run's and project's), settled
 * after, retried by the retry policy and failed over to the task's next collaborator; its answer goes back into the
 * conversation and the author is called again, its own turn reserved and settled the same way. The pipeline watches
 * the conversation as one call and settles the author's last turn; what the other turns cost is added to the attempt.
 * Questions past the task's limit are refused (the author is told), and an author that keeps asking fails the
 * attempt. A turn whose reservation would break a limit pauses the task, which resumes the conversation where it
 * stood once room is made. Every message is a {@link MessageExchangedEvent}. Confined to the drain loop.
 */
final class Collaboration {
  private static final Logger log = LoggerFactory.getLogger(Collaboration.class);
  /** Who speaks for a question the engine answers itself (a refusal). */
  static final String ENGINE = "engine";
  /** Who the author's final answer goes to. */
  static final String TASK = "task";

  private final EngineContext ctx;
  private final Budgets budgets;
  private final Providers providers;
  private final Retries retries;
  private final @Nullable Learning learning;

  Collaboration(EngineContext ctx, Budgets budgets, Providers providers, Retries retries,
      @Nullable Learning learning) {
    this.ctx = ctx;
    this.budgets = budgets;
    this.providers = providers;
    this.retries = retries;
    this.learning = learning;
  }

  /** A problem for each collaborator of {@code spec} that is not configured, when a run is submitted. */
  static void check(dev.orchestrator.workflow.TaskSpec spec, Providers providers, List<String> problems) {
    for (String name : spec.collaborators()) {
      if (!providers.contains(name)) {
        problems.add("task '" + spec.id() + "' names collaborator '" + name + "', which is not configured "
            + "(configured: " + providers.names() + "): configure it or fix the name");
      }
    }
  }

  /** Whether an author call of {@code n} is a conversation. */
  static boolean applies(Call call) {
    return !call.review && !call.node.spec.collaborators().isEmpty();
  }

  /**
   * Before the call: the request becomes the conversation so far (the task's prompt, or where a budget pause left
   * it) with the ask tool or the text protocol.
   */
  void offer(Call call) {
    TaskNode n = call.node;
    Conversation c = n.conversation();
    if (c == null || c.pausedBy == null) {
      c = new Conversation(n.spec.maxExchanges());
      ProviderRequest task = Objects.requireNonNull(call.request);
      if (task.isConversation()) {
        // a revision after a review: its rounds so far
        task.messages().stream().filter(m -> m.role() != Message.Role.SYSTEM).forEach(c.messages::add);
      } else {
        c.messages.add(Message.user(task.prompt()));
      }
      n.extras().conversation = c;
    }
    c.pausedBy = null;
    c.stopped = false;
    c.spent = CallCost.NONE;
    c.nativeTools = call.slot.provider.supportsTools();
    c.author = call.slot;
    c.request = AskProtocol.request(Objects.requireNonNull(call.request), c, n.spec.collaborators());
    call.request = c.request;
  }

  /** Once the author's first turn is made: the future the pipeline watches becomes the whole conversation's. */
  void converse(Call call) {
    TaskNode n = call.node;
    Conversation c = n.conversation();
    CompletableFuture<ProviderResponse> first = n.call;
    if (c == null || first == null) {
      return;
    }
    CompletableFuture<ProviderResponse> out = new CompletableFuture<>();
    c.out = out;
    out.whenComplete((r, e) -> {
      if (out.isCancelled()) {
        stop(n, c);
      }
    });
    n.call = out;
    watchAuthor(n, c, first);
  }

  /**
   * After the call, once the pipeline settled the author's last turn: the attempt's cost takes in the other turns; a
   * conversation a budget stopped pauses the task; a final answer after a conversation is a message.
   */
  boolean ended(Call call) {
    TaskNode n = call.node;
    Conversation c = n.conversation();
    if (c == null) {
      return true;
    }
    CallCost last = call.cost;
    call.cost = plus(c.spent, last);
    if (c.pausedBy != null) {
      Attempt a = n.record.lastAttempt();
      CallCost cost = call.cost;
      ctx.update(n, n.record.withLastAttempt(a.ended(ctx.now(), Outcome.FAILED, ErrorKind.BUDGET,
          "paused mid-conversation: the next turn would break budget " + c.pausedBy.account().scope()
              + "; the conversation goes on from here when there is room", cost.usage(), cost.money(),
          cost.basis())));
      budgets.pause(n, c.pausedBy);
      return false;
    }
    n.extras().conversation = null;
    ProviderResponse r = call.response;
    if (!call.failed() && r != null && r.question() == null && c.messages.size() > 1) {
      emit(n, Objects.requireNonNull(c.author).name, TASK, MessageExchangedEvent.FINAL, r.text(), last);
    }
    return true;
  }

  // ---- the author's turns

  private void watchAuthor(TaskNode n, Conversation c, CompletableFuture<ProviderResponse> f) {
    c.inFlight = f;
    f.whenComplete((r, e) -> ctx.post(() -> authorReplied(n, c, f, r, e)));
  }

  private void authorReplied(TaskNode n, Conversation c, CompletableFuture<ProviderResponse> f,
      @Nullable ProviderResponse r, @Nullable Throwable e) {
    CompletableFuture<ProviderResponse> out = c.out;
    if (c.stopped || c.inFlight != f || out == null || out.isDone()) {
      return;
    }
    c.inFlight = null;
    if (e != null || r == null) {
      // the pipeline settles the turn's reservation at what the failure cost
      out.completeExceptionally(e != null ? unwrap(e) : new ProviderException(author(c).name,
          ErrorKind.MALFORMED_RESPONSE, "provider completed with no response"));
      return;
    }
    List<ToolCall> asks = r.question() == null ? AskProtocol.asks(r, c.nativeTools, c.messages.size()) : List.of();
    if (asks.isEmpty()) {
      out.complete(r);
      return;
    }
    CallCost cost = CallCost.of(r, null, n.reserved);
    budgets.settle(n, cost, r.model());
    c.spent = plus(c.spent, cost);
    c.turnStart = c.messages.size();
    c.exchangesAtTurnStart = c.exchanges;
    c.messages.add(AskProtocol.authorTurn(r, asks, c.nativeTools));
    c.askingReply = r;
    c.askingCost = cost;
    c.pending.clear();
    c.pending.addAll(asks);
    nextAsk(n, c);
  }

  /** The author's next turn, with the answers: reserved like any call (a breach pauses the conversation). */
  private void continueAuthor(TaskNode n, Conversation c) {
    Slot author = author(c);
    ProviderRequest next = AskProtocol.request(Objects.requireNonNull(c.request), c, n.spec.collaborators());
    Conversation.Turn turn = new Conversation.Turn();
    LimitBreach breach = budgets.reserveTurn(n, author, next, turn, true);
    if (breach != null) {
      pause(n, c, breach, false);
      return;
    }
    if (turn.refusal != null) {
      Objects.requireNonNull(c.out).completeExceptionally(new ProviderException(author.name, ErrorKind.BUDGET,
          turn.refusal, false, null, null));
      return;
    }
    CallCancellation cancellation = n.cancellation != null ? n.cancellation : CallCancellation.create();
    watchAuthor(n, c, invoke(author, next, context(n, cancellation)));
  }

  // ---- the questions

  private void nextAsk(TaskNode n, Conversation c) {
    ToolCall ask = c.pending.poll();
    if (ask == null) {
      continueAuthor(n, c);
      return;
    }
    String from = author(c).name;
    String named = ask.argument("provider").strip().toLowerCase(Locale.ROOT);
    String question = ask.argument("question").strip();
    List<String> order = null;
    if (named.equals(AskProtocol.AUTO) && c.exchanges < c.maxExchanges) {
      // the project's learning strategy chooses among the collaborators; without one, their order
      order = learning == null ? null : learning.consultationOrder(n, n.spec.collaborators(), ctx.now());
      if (order == null || order.isEmpty()) {
        order = n.spec.collaborators();
      }
      named = order.get(0);
    }
    CallCost asking = c.askingCost == null ? CallCost.NONE : c.askingCost;
    c.askingCost = null;
    emit(n, from, named.isEmpty() ? "?" : named, MessageExchangedEvent.QUESTION,
        question.isEmpty() ? ask.arguments().toString() : question, asking);
    String refusal = refusal(n, c, ask, named, question);
    if (c.out == null || c.out.isDone()) {
      return; // the author kept asking past the limit: the attempt failed
    }
    if (refusal != null) {
      refuse(n, c, ask, from, refusal);
      nextAsk(n, c);
      return;
    }
    c.exchanges++;
    consult(n, c, ask, order != null ? order : AskProtocol.failoverOrder(n.spec.collaborators(), named), 0, 1,
        null);
  }

  /** Why a question is not sent, or null when it is; fails the attempt when the author keeps asking past the limit. */
  private @Nullable String refusal(TaskNode n, Conversation c, ToolCall ask, String named, String question) {
    if (!ask.name().equals(AskProtocol.TOOL)) {
      return "there is no tool named '" + ask.name() + "'; the only tool is ask(provider, question)";
    }
    if (c.exchanges >= c.maxExchanges) {
      if (++c.pastLimit > 1) {
        Objects.requireNonNull(c.out).completeExceptionally(new ProviderException(author(c).name,
            ErrorKind.MALFORMED_RESPONSE, "the provider kept asking its collaborators after it was told the limit "
                + "of " + c.maxExchanges + " question(s) was reached", false, null, null));
        return null;
      }
      return "the limit of " + c.maxExchanges + " question(s) to other assistants is reached: give your final "
          + "answer now, without asking";
    }
    if (named.isEmpty() || question.isEmpty()) {
      return "give both the provider to ask and the question";
    }
    if (!n.spec.collaborators().contains(named)) {
      return "'" + named + "' is not a collaborator of this task; ask one of " + n.spec.collaborators();
    }
    if (!providers.contains(named)) {
      return "'" + named + "' is not a configured provider";
    }
    return null;
  }

  private void refuse(TaskNode n, Conversation c, ToolCall ask, String to, String why) {
    c.messages.add(AskProtocol.answer(ask, "Not asked: " + why, c.nativeTools));
    emit(n, ENGINE, to, MessageExchangedEvent.REFUSAL, why, CallCost.NONE);
  }

  /**
   * Sends the question to the {@code index}th provider of {@code order}, as its {@code attempt}th try: a provider
   * whose circuit is open, or that failed past its retries, hands over to the next.
   */
  private void consult(TaskNode n, Conversation c, ToolCall ask, List<String> order, int index, int attempt,
      @Nullable String lastFailure) {
    if (c.stopped) {
      return;
    }
    String author = author(c).name;
    while (index < order.size() && (!providers.contains(order.get(index))
        || !providers.slot(order.get(index)).available())) {
      lastFailure = order.get(index) + " is not available (its circuit is open or it is paused)";
      index++;
      attempt = 1;
    }
    if (index >= order.size()) {
      refuse(n, c, ask, author, "no collaborator could answer: " + lastFailure);
      nextAsk(n, c);
      return;
    }
    Slot slot = providers.slot(order.get(index));
    ProviderRequest q = AskProtocol.consultation(n, author, ask.argument("question").strip());
    Conversation.Turn turn = c.consultTurn;
    turn.clear();
    LimitBreach breach = budgets.reserveTurn(n, slot, q, turn, false);
    if (breach != null) {
      pause(n, c, breach, true);
      return;
    }
    if (turn.refusal != null) {
      consult(n, c, ask, order, index + 1, 1, turn.refusal);
      return;
    }
    CallCancellation cancellation = CallCancellation.create();
    c.subCancellation = cancellation;
    c.consulted = slot;
    CompletableFuture<ProviderResponse> f = invoke(slot, q, context(n, cancellation));
    c.inFlight = f;
    int tried = attempt;
    int at = index;
    f.whenComplete((r, e) -> ctx.post(() -> answered(n, c, ask, order, at, tried, f, r, e)));
  }

  private void answered(TaskNode n, Conversation c, ToolCall ask, List<String> order, int index, int attempt,
      CompletableFuture<ProviderResponse> f, @Nullable ProviderResponse r, @Nullable Throwable e) {
    if (c.stopped || c.inFlight != f) {
      return;
    }
    c.inFlight = null;
    c.subCancellation = null;
    c.consulted = null;
    Slot slot = providers.slot(order.get(index));
    Throwable failure = e == null ? null : unwrap(e);
    CallCost cost = CallCost.of(r, failure, c.consultTurn.reserved);
    budgets.settleTurn(n, slot, c.consultTurn, cost);
    c.spent = plus(c.spent, cost);
    String author = author(c).name;
    if (failure == null && r != null && r.question() == null && !r.text().isBlank()) {
      emit(n, slot.name, author, MessageExchangedEvent.ANSWER, r.text(), cost);
      String text = index == 0 ? r.text() : "(answered by " + slot.name + ": " + order.get(0) + " could not answer)\n"
          + r.text();
      c.messages.add(AskProtocol.answer(ask, text, c.nativeTools));
      nextAsk(n, c);
      return;
    }
    ErrorKind kind = failure instanceof ProviderException pe ? pe.kind()
        : failure instanceof CancellationException ? ErrorKind.CANCELLED
        : failure == null ? ErrorKind.MALFORMED_RESPONSE : ErrorKind.UNKNOWN;
    String message = failure instanceof ProviderException pe ? pe.getMessage()
        : failure != null ? String.valueOf(failure) : "the reply had no answer";
    Boolean retryable = failure instanceof ProviderException pe ? pe.retryable() : null;
    log.info("A consultation failed (project={}, run={}, task={}, provider={}, attempt={}, kind={})", n.run.project,
        n.run.id, n.id(), slot.name, attempt, kind);
    RetryPolicy p = retries.policy(n, slot);
    if (Retries.retries(p, kind, retryable, attempt) && attempt < p.failoverAfter()) {
      Duration delay = p.backoff(attempt);
      Duration after = failure instanceof ProviderException pe ? pe.retryAfter() : null;
      if (after != null && after.compareTo(delay) > 0) {
        delay = after;
      }
      c.timer = ctx.later(delay, () -> {
        c.timer = null;
        consult(n, c, ask, order, index, attempt + 1, null);
      });
      return;
    }
    consult(n, c, ask, order, index + 1, 1, slot.name + " failed (" + kind + ": " + message + ")");
  }

  // ---- pauses and stops

  /**
   * A turn would break a limit: the conversation stops here and the task pauses. A consultation's breach takes the
   * author's asking turn back, so the author asks again when the task resumes.
   */
  private void pause(TaskNode n, Conversation c, LimitBreach breach, boolean consultation) {
    log.info("A conversation's next turn would break a budget; the task pauses (project={}, run={}, task={}, "
        + "scope={})", n.run.project, n.run.id, n.id(), breach.account().scope());
    if (consultation) {
      while (c.messages.size() > c.turnStart) {
        c.messages.remove(c.messages.size() - 1);
      }
      c.exchanges = c.exchangesAtTurnStart;
    }
    c.pending.clear();
    c.pausedBy = breach;
    ProviderResponse paused = ProviderResponse.builder().text("").build();
    Objects.requireNonNull(c.out).complete(paused);
  }

  /** The call was cancelled or timed out: the turn in flight is stopped, a consultation settled at its reservation. */
  private void stop(TaskNode n, Conversation c) {
    c.stopped = true;
    if (c.timer != null) {
      c.timer.cancel();
      c.timer = null;
    }
    CallCancellation signal = c.subCancellation;
    CompletableFuture<ProviderResponse> f = c.inFlight;
    c.inFlight = null;
    c.subCancellation = null;
    if (signal != null) {
      try {
        signal.cancel();
      } catch (RuntimeException e) {
        log.warn("A provider's cancel action failed (project={}, run={}, task={})", n.run.project, n.run.id,
            n.id(), e);
      }
    }
    if (f != null) {
      f.cancel(true);
    }
    Slot consulted = c.consulted;
    if (consulted != null && (c.consultTurn.reservationId != null || c.consultTurn.reserved.signum() > 0)) {
      budgets.settleTurn(n, consulted, c.consultTurn, CallCost.stopped(c.consultTurn.reserved));
    }
    c.consulted = null;
    if (n.conversation() == c && c.pausedBy == null) {
      n.extras().conversation = null;
    }
  }

  // ---- helpers

  private static Slot author(Conversation c) {
    return Objects.requireNonNull(c.author);
  }

  private CallContext context(TaskNode n, CallCancellation cancellation) {
    return CallContext.builder().project(n.run.project).runId(n.run.id).taskId(n.id())
        .attempt(Math.max(1, n.record.attempts().size())).cancellation(cancellation).build();
  }

  private static CompletableFuture<ProviderResponse> invoke(Slot slot, ProviderRequest request,
      CallContext context) {
    try {
      CompletableFuture<ProviderResponse> f = slot.provider.complete(request, context);
      return f != null ? f : CompletableFuture.failedFuture(new ProviderException(slot.name, ErrorKind.UNKNOWN,
          "provider returned no future (a bug in " + slot.provider.getClass().getName() + ")"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void emit(TaskNode n, String from, String to, String kind, String text, CallCost cost) {
    ctx.emit(n.run, new MessageExchangedEvent(n.run.project, n.run.id, n.id(), ctx.now(),
        Math.max(1, n.record.attempts().size()), from, to, kind, text, cost.usage(), cost.money()));
  }

  /** Two costs together: an estimated part makes the whole estimated. */
  static CallCost plus(CallCost a, CallCost b) {
    if (a == CallCost.NONE) {
      return b;
    }
    if (b == CallCost.NONE) {
      return a;
    }
    CostBasis basis = a.basis() == b.basis() ? a.basis()
        : a.estimated() || b.estimated() ? CostBasis.ESTIMATED : CostBasis.MEASURED;
    BigDecimal amount = a.amount().add(b.amount());
    TokenUsage usage = a.usage().plus(b.usage());
    return new CallCost(amount, basis, usage);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
