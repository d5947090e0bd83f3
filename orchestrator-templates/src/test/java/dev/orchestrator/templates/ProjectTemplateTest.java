package dev.orchestrator.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Money;
import dev.orchestrator.templates.ProjectTemplate.Period;
import dev.orchestrator.templates.ProjectTemplate.Scope;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ProjectTemplateTest {
  @Test
  void readsEverySection() {
    ProjectTemplate p = ProjectTemplate.parse("""
        {"name": "Blog", "providers": {"Claude": {"type": "anthropic", "model": "m", "max_tokens": 4096,
           "api_key": "${env:ANTHROPIC_API_KEY}"}},
         "budgets": {"time_zone": "Europe/Berlin", "alert_thresholds": [80],
           "limits": [{"scope": "provider", "provider": "claude", "period": "daily", "limit": "$20"}]},
         "policies": {"retry": {"max_attempts": 2}, "allow_simulator": true},
         "notifications": [{"on": "task_failed", "channel": "sms", "to": "+15551234567"}]}""");
    assertThat(p.id()).isEqualTo("blog");
    assertThat(p.providers().get(0).name()).isEqualTo("claude");
    assertThat(p.providers().get(0).properties()).containsEntry("max_tokens", "4096");
    assertThat(p.budgets().timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(p.budgets().limits()).containsExactly(
        new ProjectTemplate.BudgetLimit(Scope.PROVIDER, "claude", Period.DAILY, Money.usd("20")));
    assertThat(p.policies().maxAttempts()).isEqualTo(2);
    assertThat(p.policies().initialBackoff()).isEqualTo(Duration.ofMinutes(1));
    assertThat(p.policies().allowSimulator()).isTrue();
    assertThat(p.notifications().get(0).events()).containsExactly("task_failed");
  }

  @Test
  void rejectsSecretsWithoutEchoingThemAndNamesEveryProblem() {
    assertThatThrownBy(() -> ProjectTemplate.parse("""
        {"name": "X", "providers": {"claude": {"type": "anthropic", "api_key": "sk-ant-SECRET"}},
         "budgets": {"limits": [{"scope": "provider", "limit": "5"}, {"scope": "task", "period": "daily", "limit": 1}],
                     "alert_thresholds": [90, 50]},
         "policies": {"retry": {"initial_delay": "10m", "max_delay": "1m"}},
         "notifications": [{"on": ["task_faild"], "channel": "slack", "to": "https://hooks.slack.com/x"}]}"""))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageNotContaining("sk-ant-SECRET")
        .hasMessageNotContaining("hooks.slack.com")
        .hasMessageContaining("provider 'claude': api_key looks like a secret")
        .hasMessageContaining("a provider limit needs 'provider'")
        .hasMessageContaining("a task limit has no daily period")
        .hasMessageContaining("alert_thresholds must be ascending")
        .hasMessageContaining("retry.max_delay PT1M is shorter than retry.initial_delay PT10M")
        .hasMessageContaining("unknown event 'task_faild': did you mean 'task_failed'?")
        .hasMessageContaining("to of a slack rule is a secret URL");
  }

  @Test
  void defaultsFollowTheRoadmap() {
    ProjectTemplate p = ProjectTemplate.parse("{\"name\": \"Bare\"}");
    assertThat(p.policies()).isEqualTo(ProjectTemplate.Policies.defaults());
    assertThat(p.budgets().alertThresholds()).containsExactly(50, 75, 90);
    assertThat(p.policies().circuitOpenFor()).as("the first opening, as the engine's breaker")
        .isEqualTo(Duration.ofSeconds(30));
  }
}
