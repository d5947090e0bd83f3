package dev.orchestrator.vcs;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.ForwardingAiProvider;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import dev.orchestrator.vcs.TaskWork.Prepared;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A provider whose calls for tasks that change files run in the task's own worktree and end with a commit. Calls of
 * other tasks pass straight through. Git runs on version control's executor, never on the caller's thread.
 */
final class VcsProvider extends ForwardingAiProvider {
  private final AiProvider delegate;
  private final TaskWork work;
  private final Executor executor;

  VcsProvider(AiProvider delegate, TaskWork work, Executor executor) {
    super(delegate);
    this.delegate = delegate;
    this.work = work;
    this.executor = executor;
  }

  @Override
  public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
    Optional<VcsSettings> settings;
    try {
      settings = work.manages(context, delegate.type());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(failure("version control is not usable", e));
    }
    if (settings.isEmpty()) {
      return delegate.complete(request, context);
    }
    CompletableFuture<ProviderResponse> out = new CompletableFuture<>();
    executor.execute(() -> {
      if (out.isDone()) {
        return;
      }
      TaskWork.Task task;
      Prepared prepared;
      try {
        task = work.task(context, settings.get());
        prepared = work.prepare(task);
      } catch (RuntimeException e) {
        out.completeExceptionally(failure("cannot prepare the task's worktree", e));
        return;
      }
      if (prepared.conflict() != null) {
        out.complete(ProviderResponse.askHuman(prepared.conflict(), TokenUsage.NONE));
        return;
      }
      if (out.isDone()) { // given up while the worktree was prepared
        work.release(prepared);
        return;
      }
      CompletableFuture<ProviderResponse> call;
      try {
        call = delegate.complete(request, context.withWorkingDirectory(prepared.checkout().dir()));
      } catch (RuntimeException e) {
        work.release(prepared);
        out.completeExceptionally(e);
        return;
      }
      out.whenComplete((r, e) -> {
        if (out.isCancelled()) {
          call.cancel(true);
        }
      });
      call.whenCompleteAsync((r, e) -> {
        try {
          if (e == null && r.question() == null && !out.isDone()) {
            work.finish(task, prepared, request, r, delegate.name(),
                RecordedCost.of(delegate, request, r));
          }
        } catch (RuntimeException failed) {
          out.completeExceptionally(new ProviderException(delegate.name(), ErrorKind.UNKNOWN,
              "the call succeeded but its changes could not be committed: " + failed.getMessage(), false, null,
              failed, ProviderException.Billing.BILLED, r.usage(), r.cost()));
          return;
        } finally {
          work.release(prepared);
        }
        if (e != null) {
          out.completeExceptionally(e);
        } else {
          out.complete(r);
        }
      }, executor);
    });
    return out;
  }

  private ProviderException failure(String what, RuntimeException e) {
    return new ProviderException(delegate.name(), ErrorKind.UNKNOWN, what + ": " + e.getMessage(), false, null, e);
  }

  @Override
  public String toString() {
    return "VcsProvider[" + delegate + "]";
  }
}
