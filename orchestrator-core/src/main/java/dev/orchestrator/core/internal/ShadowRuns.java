package dev.orchestrator.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.core.learn.ShadowPolicy;
import dev.orchestrator.event.ShadowComparedEvent;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.workflow.ExpectedOutput;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape of a shadow comparison, which is a run of its own in the task's project: task {@code challenger} answers
 * the compared task's prompt on the cheaper provider, then task {@code judge} says which of the two answers is better.
 * Being a run, a comparison is stored, leased, budgeted, queued behind the provider's slots (at low priority),
 * recovered after a crash and executed by whichever engine holds it, like any other run, and never touches the task
 * it compares. When its judge succeeds, the engine executing it records the verdict as a {@link ShadowComparedEvent}
 * (whether or not that engine samples comparisons itself).
 */
final class ShadowRuns {
  private static final Logger log = LoggerFactory.getLogger(ShadowRuns.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The name of every comparison's workflow, by which a run is known to be one. */
  static final String WORKFLOW = "shadow-comparison";
  static final String CHALLENGER_TASK = "challenger";
  static final String JUDGE_TASK = "judge";
  private static final String VERDICT_SCHEMA = "{\"type\":\"object\",\"required\":[\"winner\",\"reason\"],"
      + "\"properties\":{\"winner\":{\"type\":\"string\",\"enum\":[\"a\",\"b\"]},\"reason\":{\"type\":\"string\"}}}";

  private ShadowRuns() {}

  /** Whether {@code run} is a shadow comparison (never itself compared). */
  static boolean isComparison(RunState run) {
    return run.workflow.name().equals(WORKFLOW);
  }

  /** What a comparison of a task compares, and who answers and judges. */
  record Plan(String ofRun, String ofTask, String taskType, ProviderRequest request, String incumbentOutput,
      String incumbent, String challenger, String judge, boolean challengerFirst, @Nullable String criteria,
      @Nullable Money challengerCap, @Nullable Money judgeCap, int promoteWins, int promoteWindow) {}

  /** The comparison's workflow. */
  static Workflow workflow(Plan p) {
    String mine = "{{" + "tasks." + CHALLENGER_TASK + ".output}}";
    String theirs = "{{incumbent_output}}";
    String criteria = p.criteria() == null ? "" : "Judge them against these criteria:\n{{criteria}}\n\n";
    String judging = "Two assistants answered the same task. Say which answer is better.\n" + criteria
        + "The task:\n{{prompt}}\n\nAnswer A:\n" + (p.challengerFirst() ? mine : theirs) + "\n\nAnswer B:\n"
        + (p.challengerFirst() ? theirs : mine)
        + "\n\nReply with JSON only: {\"winner\": \"a\" or \"b\", \"reason\": \"why, in a sentence\"}";
    ProviderRequest r = p.request();
    return Workflow.builder(WORKFLOW)
        .description("Shadow comparison of task " + p.ofTask() + " of run " + p.ofRun() + ": " + p.challenger()
            + " answers beside " + p.incumbent() + ", " + p.judge() + " judges")
        .task(CHALLENGER_TASK, t -> {
          t.title("Answer of " + p.challenger() + " beside " + p.incumbent() + "'s to " + p.ofTask())
              .instructions("{{prompt}}").provider(p.challenger()).taskType(p.taskType()).priority(Priority.LOW)
              .noContext();
          if (r.system() != null) {
            t.system("{{system}}");
          }
          if (r.maxOutputTokens() != null) {
            t.maxOutputTokens(r.maxOutputTokens());
          }
          if (r.expectedOutput() != null) {
            t.expectedOutput(r.expectedOutput());
          }
          if (r.timeout() != null) {
            t.timeout(r.timeout());
          }
          if (p.challengerCap() != null) {
            t.maxCost(p.challengerCap());
          }
        })
        .task(JUDGE_TASK, t -> {
          t.title("Judge " + p.challenger() + " against " + p.incumbent() + " on " + p.ofTask())
              .instructions(judging).provider(p.judge()).taskType("review").priority(Priority.LOW)
              .dependsOn(CHALLENGER_TASK).expectedOutput(ExpectedOutput.jsonSchema(VERDICT_SCHEMA));
          if (r.timeout() != null) {
            t.timeout(r.timeout());
          }
          if (p.judgeCap() != null) {
            t.maxCost(p.judgeCap());
          }
        })
        .build();
  }

  /** The comparison's parameters: what its prompts show, and what its verdict names. */
  static Map<String, String> params(Plan p) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("prompt", p.request().prompt());
    if (p.request().system() != null) {
      params.put("system", p.request().system());
    }
    if (p.criteria() != null) {
      params.put("criteria", p.criteria());
    }
    params.put("incumbent_output", p.incumbentOutput());
    params.put("of_run", p.ofRun());
    params.put("of_task", p.ofTask());
    params.put("task_type", p.taskType());
    params.put("incumbent", p.incumbent());
    params.put("challenger", p.challenger());
    params.put("judge", p.judge());
    params.put("order", p.challengerFirst() ? "challenger-first" : "incumbent-first");
    params.put("promote_after", p.promoteWins() + " of " + p.promoteWindow());
    return params;
  }

  /** Splits a comparison's cap between its two calls in proportion to their worst cases. */
  static Money[] split(Money cap, BigDecimal challengerWorst, BigDecimal judgeWorst) {
    BigDecimal total = challengerWorst.add(judgeWorst);
    if (total.signum() == 0) {
      return new Money[] {cap, Money.usd(BigDecimal.ZERO)};
    }
    BigDecimal first = cap.amount().multiply(challengerWorst).divide(total, 10, RoundingMode.DOWN);
    return new Money[] {Money.usd(first), Money.usd(cap.amount().subtract(first))};
  }

  /**
   * A task succeeded: when it is a comparison's judge, its verdict is recorded as a {@link ShadowComparedEvent}
   * about the compared task. A reply holding no verdict records nothing.
   */
  static void judged(EngineContext ctx, TaskNode n, String output) {
    if (!isComparison(n.run) || !n.id().equals(JUDGE_TASK)) {
      return;
    }
    Map<String, String> p = n.run.params;
    String[] verdict = parse(output);
    if (verdict == null || p.get("of_run") == null) {
      log.info("Shadow comparison without a verdict: the judge's reply holds none (project={}, run={}, judge={})",
          n.run.project, n.run.id, p.get("judge"));
      return;
    }
    boolean challengerFirst = "challenger-first".equals(p.get("order"));
    boolean aWon = verdict[0].equals("a");
    String winner = aWon == challengerFirst ? p.get("challenger") : p.get("incumbent");
    BigDecimal cost = BigDecimal.ZERO;
    for (TaskNode t : n.run.nodes) {
      cost = cost.add(t.record.cost().amount());
    }
    int[] rule = promoteAfter(p.get("promote_after"));
    ShadowComparedEvent e = new ShadowComparedEvent(n.run.project, p.get("of_run"), p.get("of_task"), ctx.now(),
        p.get("task_type"), p.get("incumbent"), p.get("challenger"), winner, p.get("judge"), verdict[1],
        Money.usd(cost), n.run.id, rule[0], rule[1]);
    log.info("Shadow compared (project={}, task={}/{}, incumbent={}, challenger={}, winner={}, cost={})",
        n.run.project, e.runId(), e.taskId(), e.incumbent(), e.challenger(), winner, e.cost());
    ctx.emit(n.run, e);
  }

  /** The promotion rule a comparison was started with ("3 of 5"); the default, 3 of 5, when it is unreadable. */
  static int[] promoteAfter(@Nullable String rule) {
    try {
      ShadowPolicy p = ShadowPolicy.builder().promoteAfter(rule == null ? "" : rule).build();
      return new int[] {p.wins(), p.comparisons()};
    } catch (IllegalArgumentException e) {
      return new int[] {3, 5};
    }
  }

  /** The winner ("a" or "b") and the reason of a judge's reply, or null when it holds no verdict. */
  static String @Nullable [] parse(String reply) {
    int start = reply.indexOf('{');
    int end = reply.lastIndexOf('}');
    if (start < 0 || end <= start) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(reply.substring(start, end + 1));
      String winner = node.path("winner").asText("").trim().toLowerCase(Locale.ROOT);
      if (!winner.equals("a") && !winner.equals("b")) {
        return null;
      }
      return new String[] {winner, node.path("reason").asText("")};
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }
}
