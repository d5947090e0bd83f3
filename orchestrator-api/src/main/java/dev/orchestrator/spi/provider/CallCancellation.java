package dev.orchestrator.spi.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The caller's side of a provider call's cancellation signal. Whoever makes a call (the engine; a test, a tool)
 * creates one, puts it in the call's {@link CallContext} ({@link CallContext.Builder#cancellation}) and cancels it
 * when it gives the call up. The provider sees only the reading side, {@link CallContext#cancelled()} and
 * {@link CallContext#onCancel(Runnable)}: it cannot cancel the call it was given.
 *
 * <p>The engine cancels a call's signal when the task is cancelled or marked failed, when its timeout passes, when
 * its run is cancelled and when the engine gives the run up (it closes, or another engine took the run over). It
 * cancels the signal first and the call's future right after, so a provider reacting to the future's cancellation
 * already reads {@code cancelled() == true}.
 *
 * <pre>{@code
 * CallCancellation cancellation = CallCancellation.create();
 * CallContext context = CallContext.builder().project("demo").runId("run-1").taskId("draft").attempt(1)
 *     .cancellation(cancellation).build();
 * CompletableFuture<ProviderResponse> reply = provider.complete(request, context);
 * ...
 * cancellation.cancel();   // the provider's onCancel actions run now
 * reply.cancel(true);
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class CallCancellation {
  private final Object lock = new Object();
  /** Written under {@link #lock}; read without it. */
  private volatile boolean cancelled;
  /** The actions waiting for the cancellation; null before the first and after the cancellation. Guarded by lock. */
  private @Nullable List<Runnable> actions;

  private CallCancellation() {}

  /** A signal not cancelled yet. */
  public static CallCancellation create() {
    return new CallCancellation();
  }

  /**
   * Cancels the call: {@link CallContext#cancelled()} is true from now on, and every action registered through
   * {@link CallContext#onCancel(Runnable)} runs once, in the order registered, on this thread. Idempotent: a second
   * call does nothing.
   *
   * @throws RuntimeException the first exception an action threw, with the others suppressed in it, after every
   *     action has run
   */
  public void cancel() {
    List<Runnable> run;
    synchronized (lock) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      run = actions;
      actions = null;
    }
    if (run == null) {
      return;
    }
    RuntimeException first = null;
    for (Runnable action : run) {
      try {
        action.run();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Whether {@link #cancel()} was called. */
  public boolean isCancelled() {
    return cancelled;
  }

  /** Runs {@code action} once when cancelled, or now if already cancelled. For {@link CallContext}. */
  void onCancel(Runnable action) {
    Objects.requireNonNull(action, "action");
    synchronized (lock) {
      if (!cancelled) {
        if (actions == null) {
          actions = new ArrayList<>(2);
        }
        actions.add(action);
        return;
      }
    }
    action.run();
  }

  @Override
  public String toString() {
    return cancelled ? "CallCancellation[cancelled]" : "CallCancellation[not cancelled]";
  }
}
