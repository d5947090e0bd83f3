package dev.orchestrator.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.event.TaskFailedEvent;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.BudgetLimitReachedEvent;
import dev.orchestrator.event.TaskPausedEvent;
import dev.orchestrator.event.TaskReadyEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Severity;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rules, languages, digests, rate limits and retries, on virtual time with the work on the test's thread. */
class NotificationListenerTest {
  private final MutableClock clock = MutableClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final RecordingNotifierFactory recording = new RecordingNotifierFactory();
  private final List<DeliveryFailedEvent> failures = new CopyOnWriteArrayList<>();
  private final List<NotificationListener> listeners = new ArrayList<>();

  static final String ROADMAP = """
      {
        "notifications": {
          "email": "user@example.com",
          "slack_webhook": "https://hooks.slack.com/services/T0/B0/canary",
          "sms": "+15551234567",
          "channels": {
            "email": {"type": "recording"},
            "slack": {"type": "recording"},
            "sms": {"type": "recording"}
          },
          "rules": [
            {"event": "task_failed", "priority": "high", "notify": ["email", "slack"]},
            {"event": "budget_exceeded", "notify": ["email", "sms"]},
            {"event": "task_completed", "priority": "low", "notify": []},
            {"event": "input_requested", "notify": ["slack"]},
            {"event": "run_completed", "notify": ["email"]}
          ]
        }
      }
      """;

  private NotificationListener listener(String json) {
    NotificationListener l = NotificationListener.builder().config(NotificationConfig.parse(json)).clock(clock)
        .scheduler(scheduler).executor(Runnable::run).notifierFactory(recording).onDeliveryFailed(failures::add)
        .build();
    listeners.add(l);
    return l;
  }

  @AfterEach
  void close() {
    listeners.forEach(NotificationListener::close);
  }

  private TaskReadyEvent ready(String project, String task, Priority lane) {
    return new TaskReadyEvent(project, "run-1", task, clock.instant(), TaskState.BLOCKED, lane);
  }

  private TaskFailedEvent failed(String project, String task) {
    return new TaskFailedEvent(project, "run-1", task, clock.instant(), TaskState.RUNNING, "claude",
        ErrorKind.TIMEOUT, "no answer in 2m");
  }

  /** Runs what is due now, as the engine's scheduler would. */
  private void settle() {
    scheduler.runDue();
  }

  @Test
  void theRoadmapRulesRouteEachEventByNameAndTaskPriority() {
    NotificationListener l = listener(ROADMAP);
    l.onEvent(ready("blog", "urgent", Priority.HIGH));
    l.onEvent(ready("blog", "normal", Priority.MEDIUM));
    l.onEvent(ready("blog", "minor", Priority.LOW));
    l.onEvent(failed("blog", "urgent"));
    l.onEvent(failed("blog", "normal"));
    l.onEvent(new TaskSucceededEvent("blog", "run-1", "minor", clock.instant(), TaskState.RUNNING, "gemini",
        TokenUsage.of(10, 10), Money.ZERO));
    l.onEvent(new BudgetLimitReachedEvent("blog", "run-1", clock.instant(), BudgetScope.project("blog"),
        Money.usd("4.90"), Money.usd("0.10"), Money.usd("5.00"), Money.usd("0.20")));
    l.onEvent(new TaskPausedEvent("blog", "run-1", "minor", clock.instant(), TaskState.READY, "provider paused"));
    settle();

    assertThat(recording.sent("email")).extracting(Notification::event)
        .containsExactly("task_failed", "budget_exceeded");
    assertThat(recording.sent("slack")).extracting(Notification::event).containsExactly("task_failed");
    assertThat(recording.sent("sms")).extracting(Notification::event).containsExactly("budget_exceeded");
    Notification n = recording.sent("email").get(0);
    assertThat(n.subject()).isEqualTo("[blog] Task urgent failed");
    assertThat(n.body()).isEqualTo("Task urgent in run run-1 of project blog failed on claude (timeout): no answer in 2m");
    assertThat(n.priority()).isEqualTo(Priority.HIGH);
    assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(n.ids()).containsEntry("run", "run-1").containsEntry("task", "urgent").containsEntry("provider", "claude");
    assertThat(recording.sent("sms").get(0).body()).contains("budget project blog reached: $4.90 spent");
  }

  @Test
  void eachProjectGetsItsOwnLanguageAndDashboardLinks() {
    NotificationListener l = listener("""
        {
          "notifications": {
            "channels": {"chat": {"type": "recording"}},
            "dashboard_url": "http://127.0.0.1:7070/",
            "rules": [{"event": "*", "notify": ["chat"]}]
          },
          "projects": {
            "quantum-self": {"notifications": {"locale": "es"}},
            "berlin": {"notifications": {"locale": "de"}},
            "paris": {"notifications": {"locale": "fr-FR"}}
          }
        }
        """);
    for (String p : List.of("quantum-self", "berlin", "paris", "london")) {
      l.onEvent(failed(p, "draft"));
    }
    l.onEvent(new InputRequestedEvent("london", "run-1", "edit", clock.instant(), TaskState.RUNNING, "q-7",
        "Which tone?"));
    l.onEvent(new RunFinishedEvent("berlin", "run-1", clock.instant(), RunStatus.FAILED, Money.ZERO));
    settle();

    assertThat(recording.sent("chat")).extracting(Notification::subject).containsExactly(
        "[quantum-self] La tarea draft falló",
        "[berlin] Aufgabe draft ist fehlgeschlagen",
        "[paris] La tâche draft a échoué",
        "[london] Task draft failed",
        "[london] Task edit asks for your input",
        "[berlin] Lauf run-1 ist beendet: fehlgeschlagen");
    Notification question = recording.sent("chat").get(4);
    assertThat(question.link()).hasToString("http://127.0.0.1:7070/projects/london/questions/q-7");
    assertThat(question.body()).isEqualTo("Task edit in run run-1 of project london asks: Which tone?");
    assertThat(recording.sent("chat").get(0).locale().getLanguage()).isEqualTo("es");
    assertThat(recording.sent("chat").get(0).link()).hasToString("http://127.0.0.1:7070/projects/quantum-self/runs/run-1");
  }

  @Test
  void aBurstOfAThousandFailuresSendsAtMostOneMessagePerChannelPerWindow() {
    NotificationListener l = listener(ROADMAP);
    Duration window = Duration.ofMinutes(5);
    for (int i = 0; i < 1000; i++) {
      l.onEvent(ready("storm", "t" + i, Priority.HIGH));
      l.onEvent(failed("storm", "t" + i));
      scheduler.advance(Duration.ofMillis(250)); // 1,000 failures over 250 s, inside one window
    }
    scheduler.advance(window.multipliedBy(3));

    for (String channel : List.of("email", "slack")) {
      List<RecordingNotifierFactory.Sent> sent = recording.sentWithTimes(channel);
      assertThat(sent).as(channel).hasSize(2);
      for (int i = 1; i < sent.size(); i++) {
        assertThat(Duration.between(sent.get(i - 1).at(), sent.get(i).at())).isGreaterThanOrEqualTo(window);
      }
      Notification first = sent.get(0).notification();
      Notification digest = sent.get(1).notification();
      assertThat(first.subject()).isEqualTo("[storm] Task t0 failed");
      assertThat(digest.count()).isEqualTo(1000);
      assertThat(digest.isDigest()).isTrue();
      assertThat(digest.subject()).isEqualTo("[storm] 1,000 tasks failed");
      assertThat(digest.body()).isEqualTo("1,000 tasks failed in project storm in the last 5 minutes.\n"
          + "Including: t0, t1, t2, t3, t4 and 995 more");
    }
    assertThat(recording.sent("sms")).isEmpty();
    assertThat(l.stats().merged()).isEqualTo(2 * 999);
    assertThat(l.stats().delivered()).isEqualTo(4);
  }

  @Test
  void aSteadyStormYieldsOneDigestPerWindowAndQuietEndsIt() {
    NotificationListener l = listener(ROADMAP);
    for (int minute = 0; minute < 20; minute++) {
      for (int i = 0; i < 10; i++) {
        l.onEvent(ready("storm", "m" + minute + "-" + i, Priority.HIGH));
        l.onEvent(failed("storm", "m" + minute + "-" + i));
      }
      scheduler.advance(Duration.ofMinutes(1));
    }
    scheduler.advance(Duration.ofMinutes(30));
    List<RecordingNotifierFactory.Sent> sent = recording.sentWithTimes("slack");
    assertThat(sent).hasSize(5); // t=0 single, digests at 5, 10, 15, 20 minutes
    // The digests count every failure of their window; the first window's includes the one sent at once.
    assertThat(sent.subList(1, sent.size()).stream().mapToInt(s -> s.notification().count()).sum()).isEqualTo(200);
    for (int i = 1; i < sent.size(); i++) {
      assertThat(Duration.between(sent.get(i - 1).at(), sent.get(i).at())).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
    }
  }

  @Test
  void aChannelOverItsRateLimitHoldsMessagesBackAndSaysSo() {
    NotificationListener l = listener("""
        {"notifications": {
          "digest_window": "0s",
          "channels": {"chat": {"type": "recording", "rate_limit": {"messages": 3, "per": "1m"}}},
          "rules": [{"event": "task_failed", "notify": ["chat"]}]
        }}
        """);
    for (int i = 0; i < 10; i++) {
      l.onEvent(failed("p", "t" + i));
    }
    settle();
    assertThat(recording.sent("chat")).hasSize(3);
    assertThat(l.stats().suppressed()).isEqualTo(7);
    scheduler.advance(Duration.ofMinutes(1));
    l.onEvent(failed("p", "late"));
    settle();
    assertThat(recording.sent("chat")).hasSize(4);
    assertThat(recording.sent("chat").get(3).body())
        .endsWith("7 more notifications were held back by this channel's rate limit.");
  }

  @Test
  void aFailingSendIsRetriedWithBackoffOnTheScheduler() {
    NotificationListener l = listener("""
        {"notifications": {
          "channels": {"chat": {"type": "recording", "fail": "2"}},
          "rules": [{"event": "task_failed", "notify": ["chat"]}]
        }}
        """);
    l.onEvent(failed("p", "t"));
    settle();
    assertThat(recording.sent("chat")).isEmpty();
    scheduler.advance(Duration.ofMillis(900));
    assertThat(recording.sent("chat")).as("not before the first back-off").isEmpty();
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(recording.sent("chat")).hasSize(1);
    assertThat(recording.byName.get("chat").attempts).hasValue(3);
    assertThat(failures).isEmpty();
    assertThat(l.stats().delivered()).isEqualTo(1);
  }

  @Test
  void aChannelThatKeepsFailingIsReportedAfterItsAttempts() {
    NotificationListener l = NotificationListener.builder().config(NotificationConfig.parse("""
        {"notifications": {
          "channels": {"down": {"type": "recording", "fail": "always"}, "refused": {"type": "recording", "fail": "final"}},
          "rules": [{"event": "task_failed", "notify": ["down", "refused"]}]
        }}
        """)).clock(clock).scheduler(scheduler).executor(Runnable::run).notifierFactory(recording)
        .onDeliveryFailed(failures::add).maxAttempts(3).build();
    listeners.add(l);
    l.onEvent(failed("p", "t"));
    settle();
    assertThat(failures).extracting(DeliveryFailedEvent::channel).containsExactly("refused");
    assertThat(failures.get(0).attempts()).isEqualTo(1);
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(failures).extracting(DeliveryFailedEvent::channel).containsExactly("refused", "down");
    DeliveryFailedEvent down = failures.get(1);
    assertThat(down.attempts()).isEqualTo(3);
    assertThat(down.project()).isEqualTo("p");
    assertThat(down.event()).isEqualTo("task_failed");
    assertThat(down.reason()).isEqualTo("notifier 'down': injected failure");
    assertThat(l.stats().failed()).isEqualTo(2);
  }

  @Test
  void runsForgetTheirTaskPrioritiesWhenTheyFinish() {
    NotificationListener l = listener(ROADMAP);
    l.onEvent(ready("blog", "a", Priority.HIGH));
    l.onEvent(new RunFinishedEvent("blog", "run-1", clock.instant(), RunStatus.SUCCEEDED, Money.ZERO));
    l.onEvent(failed("blog", "a")); // same ids after the run finished: priority unknown, so medium
    settle();
    assertThat(recording.sent("slack")).isEmpty();
    assertThat(recording.sent("email")).extracting(Notification::event).containsExactly("run_completed");
  }

  @Test
  void projectsWithoutSettingsAreIgnoredAndOnEventNeverThrows() {
    NotificationListener l = listener("""
        {"projects": {"only": {"notifications": {"channels": {"chat": {"type": "recording"}},
          "rules": [{"event": "task_failed", "notify": ["chat"]}]}}}}
        """);
    l.onEvent(failed("other", "t"));
    l.onEvent(failed("ONLY", "t"));
    settle();
    assertThat(recording.sent("chat")).hasSize(1);
    l.close();
    l.onEvent(failed("only", "after-close"));
    assertThat(recording.sent("chat")).hasSize(1);
  }
}
