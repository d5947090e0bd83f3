package dev.orchestrator.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.workflow.Approval;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A template's {@code approval}: a word, or an object with the timeout policy. */
class TemplateApprovalTest {
  private static String template(String tasks) {
    return "{\"name\": \"T\", \"tasks\": [" + tasks + "]}";
  }

  @Test
  void aWordOrAnObjectBecomesTheTasksApproval() {
    Workflow w = Template.parse(template("{\"id\": \"draft\", \"approval\": \"before\"},"
        + " {\"id\": \"ship\", \"depends_on\": [\"draft\"], \"approval\": {\"when\": \"after\", \"timeout\": \"2h\","
        + " \"on_timeout\": \"escalate\", \"escalate_to\": [\"ops\", \"cto\"]}}")).instantiate(Map.of());
    assertThat(w.task("draft").approval()).isEqualTo(Approval.before());
    assertThat(w.task("ship").approval()).isEqualTo(Approval.builder(Approval.Stage.AFTER)
        .timeout(Duration.ofHours(2)).onTimeout(Approval.OnTimeout.ESCALATE).escalateTo(List.of("ops", "cto"))
        .build());
  }

  @Test
  void aDefaultAnswerOnTimeout() {
    Workflow w = Template.parse(template("{\"id\": \"a\", \"approval\": {\"when\": \"before\", \"timeout\": \"30m\","
        + " \"on_timeout\": \"default\", \"default\": \"approve\"}}")).instantiate(Map.of());
    assertThat(w.task("a").approval().defaultAnswer()).isEqualTo("approve");
    assertThat(w.task("a").approval().onTimeout()).isEqualTo(Approval.OnTimeout.DEFAULT);
  }

  @Test
  void badApprovalsAreReportedWithTheirFix() {
    assertThatThrownBy(() -> Template.parse(template("{\"id\": \"a\", \"approval\": \"later\"}")))
        .isInstanceOf(InvalidTemplateException.class)
        .satisfies(e -> assertThat(((InvalidTemplateException) e).problems())
            .anyMatch(p -> p.contains("approval must be 'before' or 'after' (was 'later')")));
    assertThatThrownBy(() -> Template.parse(template("{\"id\": \"a\", \"approval\": {\"when\": \"after\","
        + " \"on_timeout\": \"escalate\"}}")))
        .satisfies(e -> assertThat(((InvalidTemplateException) e).problems())
            .anyMatch(p -> p.contains("escalateTo is empty")));
    assertThatThrownBy(() -> Template.parse(template("{\"id\": \"a\", \"approval\": {\"when\": \"after\","
        + " \"on_timeout\": \"shrug\"}}")))
        .satisfies(e -> assertThat(((InvalidTemplateException) e).problems())
            .anyMatch(p -> p.contains("on_timeout must be deny, escalate or default (was 'shrug')")));
  }
}
