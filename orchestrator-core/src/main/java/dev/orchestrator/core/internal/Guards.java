package dev.orchestrator.core.internal;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.event.GuardTriggeredEvent;
import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.guard.GuardInput;
import dev.orchestrator.spi.guard.Verdict;
import dev.orchestrator.spi.provider.ProviderRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured guards, run in order on each author call's prompt and on its output. A guard may allow, redact,
 * flag, block (the task fails) or, on an output, send the task back once for a repair. A guard that throws blocks.
 * Confined to the drain loop.
 */
final class Guards {
  private static final Logger log = LoggerFactory.getLogger(Guards.class);

  private final EngineContext ctx;
  private final List<Guard> guards;
  private final Lifecycle lifecycle;

  Guards(EngineContext ctx, List<Guard> guards, Lifecycle lifecycle) {
    this.ctx = ctx;
    this.guards = List.copyOf(guards);
    this.lifecycle = lifecycle;
  }

  private static GuardInput input(TaskNode n, Slot slot, String text) {
    return GuardInput.builder().project(n.run.project).runId(n.run.id).taskId(n.id()).taskType(n.spec.taskType())
        .provider(slot.name).providerType(slot.provider.type()).text(text).expected(n.spec.expectedOutput()).build();
  }

  private static Verdict check(Guard g, TaskNode n, GuardInput in, boolean prompt) {
    try {
      Verdict v = prompt ? g.checkPrompt(in) : g.checkOutput(in);
      return v == null ? Verdict.allow() : v;
    } catch (RuntimeException e) {
      log.warn("Guard failed and was treated as blocking (guard={}, task={})", g.name(), n.id(), e);
      return Verdict.block("guard " + g.name() + " failed: " + e.getClass().getSimpleName());
    }
  }

  /** Runs the prompt guards; returns the request to send, or null when a guard blocked it (the task failed). */
  @Nullable ProviderRequest prompt(TaskNode n, ProviderRequest request) {
    String text = request.prompt();
    for (Guard g : guards) {
      Verdict v = check(g, n, input(n, n.slot, text), true);
      if (v.action() == Verdict.Action.ALLOW) {
        continue;
      }
      ctx.emit(n.run, new GuardTriggeredEvent(n.run.project, n.run.id, n.id(), ctx.now(), g.name(),
          GuardTriggeredEvent.Phase.PROMPT, v.action(), v.reason()));
      switch (v.action()) {
        case REDACT -> text = v.replacement();
        case FLAG -> log.info("Guard flagged a prompt (guard={}, task={}, reason={})", g.name(), n.id(), v.reason());
        default -> {
          lifecycle.fail(n, ErrorKind.GUARD, "guard " + g.name() + " blocked the prompt: " + v.reason());
          return null;
        }
      }
    }
    return text.equals(request.prompt()) ? request : request.withPrompt(text);
  }

  /** Runs the output guards; returns the accepted text, or null when blocked or sent back for a repair. */
  @Nullable String output(TaskNode n, String output) {
    String text = output;
    for (Guard g : guards) {
      Verdict v = check(g, n, input(n, n.callSlot, text), false);
      if (v.action() == Verdict.Action.ALLOW) {
        continue;
      }
      ctx.emit(n.run, new GuardTriggeredEvent(n.run.project, n.run.id, n.id(), ctx.now(), g.name(),
          GuardTriggeredEvent.Phase.OUTPUT, v.action(), v.reason()));
      switch (v.action()) {
        case REDACT -> text = v.replacement();
        case FLAG -> log.info("Guard flagged an output (guard={}, task={}, reason={})", g.name(), n.id(), v.reason());
        case REPAIR -> {
          if (!n.repairUsed()) {
            n.extras().repairUsed = true;
            n.extras().repair = v.replacement() + "\n\nYour previous answer was:\n" + text;
            lifecycle.enqueue(n);
            return null;
          }
          lifecycle.fail(n, ErrorKind.GUARD, "guard " + g.name() + " rejected the output after one repair: "
              + v.reason());
          return null;
        }
        default -> {
          lifecycle.fail(n, ErrorKind.GUARD, "guard " + g.name() + " blocked the output: " + v.reason());
          return null;
        }
      }
    }
    n.clearRepair();
    return text;
  }
}
