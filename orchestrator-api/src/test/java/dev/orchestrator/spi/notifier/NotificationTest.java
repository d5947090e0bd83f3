package dev.orchestrator.spi.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.Priority;
import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Each value is checked where it is given, a notification survives a trip through its builder, equality is by value. */
class NotificationTest {
  private static final Instant AT = Instant.parse("2025-03-01T09:30:00Z");

  private static Notification.Builder minimal() {
    return Notification.builder().project("blog").event("task_failed").subject("[blog] Task draft failed")
        .body("Task draft failed on claude: rate limited").at(AT);
  }

  private static Notification full() {
    return minimal().priority(Priority.HIGH).severity(Severity.CRITICAL)
        .link(URI.create("https://orchestrator.example/runs/r1")).locale(Locale.FRENCH).count(3)
        .id("run", "r1").id("task", "draft").idempotencyKey("42-task_failed-slack").build();
  }

  @Test
  void eachSetterRefusesABadValueAtOnceNamingTheSettingAndTheValue() {
    Notification.Builder b = minimal();
    assertThatThrownBy(() -> b.project(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("project must not be blank (was ' '): name the project the notification is about");
    assertThatThrownBy(() -> b.event("Task_Failed")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("event must be a lower-case name such as 'task_failed' (was 'Task_Failed')");
    assertThatThrownBy(() -> b.event("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("event must be a lower-case name such as 'task_failed' (was '')");
    assertThatThrownBy(() -> b.subject("\t")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subject must not be blank (was '\t'): give it one line of text");
    assertThatThrownBy(() -> b.body("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("body must not be blank (was ''): give it the full text");
    assertThatThrownBy(() -> b.count(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be >= 1 (was 0): 1 for one occurrence, more for a digest of identical notifications");
    assertThatThrownBy(() -> b.id(" ", "r1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id key must not be blank (was ' '): name what the id is of, such as 'task'");
    assertThatThrownBy(() -> b.idempotencyKey("42 task_failed")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idempotencyKey must be 1 to 200 printable ASCII characters without spaces (was '42 task_failed')");
    assertThatThrownBy(() -> b.idempotencyKey("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("idempotencyKey must be 1 to 200");
    assertThatThrownBy(() -> b.idempotencyKey("k".repeat(201))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("idempotencyKey must be 1 to 200");
    assertThatThrownBy(() -> b.idempotencyKey("clé")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(was 'clé')");

    assertThat(b.build()).as("a refused value is never kept").isEqualTo(minimal().build());
  }

  @Test
  void eachSetterRefusesNullForARequiredValueNamingIt() {
    Notification.Builder b = minimal();
    assertThatThrownBy(() -> b.project(null)).isInstanceOf(NullPointerException.class).hasMessage("project");
    assertThatThrownBy(() -> b.event(null)).isInstanceOf(NullPointerException.class).hasMessage("event");
    assertThatThrownBy(() -> b.priority(null)).isInstanceOf(NullPointerException.class).hasMessage("priority");
    assertThatThrownBy(() -> b.severity(null)).isInstanceOf(NullPointerException.class).hasMessage("severity");
    assertThatThrownBy(() -> b.subject(null)).isInstanceOf(NullPointerException.class).hasMessage("subject");
    assertThatThrownBy(() -> b.body(null)).isInstanceOf(NullPointerException.class).hasMessage("body");
    assertThatThrownBy(() -> b.locale(null)).isInstanceOf(NullPointerException.class).hasMessage("locale");
    assertThatThrownBy(() -> b.at(null)).isInstanceOf(NullPointerException.class).hasMessage("at");
    assertThatThrownBy(() -> b.id(null, "r1")).isInstanceOf(NullPointerException.class).hasMessage("id key");
    assertThatThrownBy(() -> b.id("run", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("id 'run' value");
  }

  @Test
  void buildNamesTheFirstRequiredValueNeverGiven() {
    assertThatThrownBy(() -> Notification.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("notification needs a project: call project(...)");
    assertThatThrownBy(() -> Notification.builder().project("blog").build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("notification needs an event name: call event(...)");
    assertThatThrownBy(() -> Notification.builder().project("blog").event("task_failed").build())
        .isInstanceOf(IllegalStateException.class).hasMessage("notification needs a subject: call subject(...)");
    assertThatThrownBy(() -> Notification.builder().project("blog").event("task_failed").subject("s").build())
        .isInstanceOf(IllegalStateException.class).hasMessage("notification needs a body: call body(...)");
    assertThatThrownBy(() -> Notification.builder().project("blog").event("task_failed").subject("s").body("b")
        .build()).isInstanceOf(IllegalStateException.class).hasMessage("notification needs a time: call at(...)");
  }

  @Test
  void theDefaultsAreOneEnglishInformationalMessageOfMediumPriority() {
    Notification n = minimal().build();
    assertThat(n.priority()).isEqualTo(Priority.MEDIUM);
    assertThat(n.severity()).isEqualTo(Severity.INFO);
    assertThat(n.locale()).isEqualTo(Locale.ENGLISH);
    assertThat(n.count()).isEqualTo(1);
    assertThat(n.isDigest()).isFalse();
    assertThat(n.link()).isNull();
    assertThat(n.ids()).isEmpty();
    assertThat(n.idempotencyKey()).isNull();
  }

  @Test
  void everyValueReadsBackAndTheIdsKeepTheirOrderAndCannotBeChanged() {
    Notification n = full();
    assertThat(n.project()).isEqualTo("blog");
    assertThat(n.event()).isEqualTo("task_failed");
    assertThat(n.priority()).isEqualTo(Priority.HIGH);
    assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(n.subject()).isEqualTo("[blog] Task draft failed");
    assertThat(n.body()).isEqualTo("Task draft failed on claude: rate limited");
    assertThat(n.link()).isEqualTo(URI.create("https://orchestrator.example/runs/r1"));
    assertThat(n.locale()).isEqualTo(Locale.FRENCH);
    assertThat(n.at()).isEqualTo(AT);
    assertThat(n.count()).isEqualTo(3);
    assertThat(n.isDigest()).isTrue();
    assertThat(n.ids()).containsExactly(java.util.Map.entry("run", "r1"), java.util.Map.entry("task", "draft"));
    assertThat(n.id("task")).isEqualTo("draft");
    assertThat(n.id("question")).isNull();
    assertThat(n.idempotencyKey()).isEqualTo("42-task_failed-slack");
    assertThatThrownBy(() -> n.ids().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aNotificationSurvivesATripThroughItsBuilderAndADerivedCopyLeavesTheOriginalAlone() {
    Notification original = full();
    assertThat(original.toBuilder().build()).isEqualTo(original).hasSameHashCodeAs(original);
    assertThat(minimal().build().toBuilder().build()).isEqualTo(minimal().build());

    Notification changed = original.toBuilder().id("question", "q1").link(null).idempotencyKey(null).count(1).build();
    assertThat(changed.ids()).containsKeys("run", "task", "question");
    assertThat(changed.link()).isNull();
    assertThat(changed.idempotencyKey()).isNull();
    assertThat(original.ids()).doesNotContainKey("question");
    assertThat(original.link()).isNotNull();
    assertThat(original.idempotencyKey()).isEqualTo("42-task_failed-slack");
  }

  @Test
  void aBuilderCanBeReusedWithoutChangingWhatItBuilt() {
    Notification.Builder b = minimal().id("run", "r1");
    Notification first = b.build();
    Notification second = b.id("run", "r2").id("task", "draft").build();
    assertThat(first.ids()).containsOnlyKeys("run").containsEntry("run", "r1");
    assertThat(second.ids()).containsEntry("run", "r2").containsEntry("task", "draft");
  }

  @Test
  void equalityIsByEveryValue() {
    Notification n = full();
    assertThat(n).isEqualTo(full()).hasSameHashCodeAs(full());
    assertThat(n).isNotEqualTo(n.toBuilder().project("shop").build())
        .isNotEqualTo(n.toBuilder().event("task_completed").build())
        .isNotEqualTo(n.toBuilder().priority(Priority.LOW).build())
        .isNotEqualTo(n.toBuilder().severity(Severity.INFO).build())
        .isNotEqualTo(n.toBuilder().subject("other").build())
        .isNotEqualTo(n.toBuilder().body("other").build())
        .isNotEqualTo(n.toBuilder().link(null).build())
        .isNotEqualTo(n.toBuilder().locale(Locale.ENGLISH).build())
        .isNotEqualTo(n.toBuilder().at(AT.plusSeconds(1)).build())
        .isNotEqualTo(n.toBuilder().count(2).build())
        .isNotEqualTo(n.toBuilder().id("provider", "claude").build())
        .isNotEqualTo(n.toBuilder().idempotencyKey("43-task_failed-slack").build())
        .isNotEqualTo(null)
        .isNotEqualTo("blog");
    assertThat(minimal().id("run", "r1").build()).hasToString("Notification[project=blog, event=task_failed,"
        + " priority=MEDIUM, severity=INFO, subject=[blog] Task draft failed, body=Task draft failed on claude:"
        + " rate limited, link=null, locale=en, at=2025-03-01T09:30:00Z, count=1, ids={run=r1}, idempotencyKey=null]");
  }
}
