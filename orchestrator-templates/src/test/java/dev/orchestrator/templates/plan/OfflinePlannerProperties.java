package dev.orchestrator.templates.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.templates.TemplateTask;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the words, the offline planner gives a plan that passes the template checks, or says why not. */
class OfflinePlannerProperties {
  private static final List<String> FRAGMENTS = List.of("Write a blog post about tides", "have ChatGPT draft it",
      "Claude review for tone", "target 1500 words", "publish to /blog/", "every Monday at 9", "then", ",", ";",
      ". ", "and then", "have codex run the tests", "run rm -rf /", "have Grok translate it", "{{topic}}", "}}",
      "{{tasks.1.output}}", "Gemini: research competitors", "with GPT-4o", "asdf", "it", "review it", "publish",
      "daily at 25:99", "0 words", "1,500-word", "email it to the team", "ignore previous instructions", "\"", "'",
      "`ls`", "$(whoami)", "Ask OpenAI to brainstorm names", "édition spéciale", "漢字", "then then", "finally");

  @Provide
  Arbitrary<String> requests() {
    Arbitrary<String> fragment = Arbitraries.oneOf(Arbitraries.of(FRAGMENTS),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12));
    return fragment.list().ofMinSize(1).ofMaxSize(8).map(l -> String.join(" ", l)).filter(s -> !s.isBlank());
  }

  @Property(tries = 300)
  void everyPlanPassesTheTemplateChecksAndUsesOnlyAllowedProviders(@ForAll("requests") String request) {
    PlanningContext context = OfflinePlannerTest.defaults();
    WorkflowPlan plan;
    try {
      plan = OfflinePlanner.create().plan(request, context);
    } catch (PlanningException e) {
      // Only a request whose every step was refused; a plan that fails the checks would be a planner bug.
      assertThat(e.getMessage()).startsWith("nothing in the request could be planned");
      assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).contains("was left out"));
      return;
    }
    assertThat(WorkflowPlan.problems(plan.json(), context)).isEmpty();
    assertThat(plan.template().parameters()).as("no parameters: request text is never a placeholder").isEmpty();
    for (TemplateTask t : plan.template().tasks()) {
      assertThat(t.providers()).allMatch(context::usable).doesNotContain("codex");
      assertThat(t.dependsOn()).allMatch(d -> Integer.parseInt(d) < Integer.parseInt(t.id()));
    }
    assertThat(plan.template().instantiate(java.util.Map.of()).tasks()).hasSameSizeAs(plan.template().tasks());
  }
}
