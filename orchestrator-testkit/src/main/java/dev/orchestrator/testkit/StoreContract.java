package dev.orchestrator.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.project.Project;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Cancellation;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.spi.store.StoredEvent;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The suite every {@link Store} passes. Extend it and implement {@link #createStore()}; a durable store also
 * overrides {@link #reopen(Store)} so the persistence checks can close it and open the same data again.
 *
 * <pre>{@code
 * class MyStoreTest extends StoreContract {
 *   @TempDir Path dir;
 *   protected Store createStore() { return MyStore.open(dir); }
 *   protected Store reopen(Store store) { store.close(); return MyStore.open(dir); }
 * }
 * }</pre>
 *
 * <p>What it holds a store to, beyond the {@link Store} Javadoc:
 * <ul>
 *   <li>{@link #createStore()} returns an empty store; each check gets a new one and closes it afterwards.
 *   <li>Records read back equal the records written, field by field. Instants are written with microsecond
 *       precision, the finest every supported database keeps; a store must keep at least that.
 *   <li>Updating a run or task that the named project does not have throws {@link IllegalArgumentException} and
 *       changes nothing; {@code createRun} rejects a task of another run or a repeated task id with
 *       {@link IllegalArgumentException} and a repeated run id with {@link IllegalStateException}, storing nothing.
 *   <li>Every event type (found through {@link Event}'s permitted subclasses, so a new type is covered the day it is
 *       added) reads back equal; the samples are made reflectively, so a new component type may need a case in
 *       {@code sample}.
 *   <li>A store with an event stream ({@link Store#eventsAfter}; one whose {@link Store#lastEventSequence()} throws
 *       {@link UnsupportedOperationException} skips those checks) hands out every event of every project once, in
 *       increasing sequence order, even to a reader that follows it while several threads append; it skips events
 *       of a type this version does not know (override {@link #appendEventOfUnknownType} to check that).
 * </ul>
 *
 * <p>Nothing here sleeps: the concurrency checks start their threads together on a latch and wait on futures.
 */
public abstract class StoreContract {
  /** A fixed instant with microsecond precision, the finest that every store keeps. */
  protected static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456Z");

  /** The store under test, new and empty for each check (null only when {@link #createStore()} was skipped). */
  protected @Nullable Store store;

  /** A new, empty store. */
  protected abstract Store createStore();

  /**
   * Closes {@code store} and opens the same data again, for the persistence checks; only called when the store
   * says it is {@link Store#durable() durable}. The default skips those checks.
   */
  protected Store reopen(Store store) {
    assumeTrue(false, "this store's test does not override reopen(Store)");
    return store;
  }

  /**
   * Appends to {@code store}, as a newer version of the library would, an event of a type this version does not know,
   * in {@code project} and {@code runId}; for the check that readers skip it. The default skips that check (a store
   * that keeps events as objects cannot hold such an event).
   */
  protected void appendEventOfUnknownType(Store store, String project, String runId) throws Exception {
    assumeTrue(false, "this store's test does not override appendEventOfUnknownType");
  }

  @BeforeEach
  void openStore() {
    store = createStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ------------------------------------------------------------------ samples

  /** An instant {@code seconds} after {@link #T0}, at microsecond precision. */
  protected static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  /** A run with every field set. */
  protected static RunRecord fullRun(String project, String runId) {
    return RunRecord.builder().project(project).id(runId).workflow("write-chapter").status(RunStatus.CANCELLED)
        .params(Map.of("topic", "quantum self", "lang", "fr", "quote", "l'\"été\" 🌞")).submittedAt(at(0))
        .finishedAt(at(90)).cancellation(new Cancellation("alice", "wrong topic", at(80))).build();
  }

  /** A run that is going, with no optional field set. */
  protected static RunRecord runningRun(String project, String runId, Instant submittedAt) {
    return RunRecord.submitted(project, runId, "wf", Map.of(), submittedAt);
  }

  /**
   * A task with every field set: two attempts (one failed, one succeeded and holding its prompt), a cancellation and an
   * answered question.
   */
  protected static TaskRecord fullTask(String project, String runId, String taskId) {
    Attempt failed = Attempt.builder().number(1).provider("openai").startedAt(at(1)).finishedAt(at(2))
        .outcome(Attempt.Outcome.FAILED).errorKind(ErrorKind.RATE_LIMITED).message("429 slow down")
        .usage(TokenUsage.builder().input(1200).cachedInput(1000).cacheWrite(200).build()).cost(Money.usd("0.000000015")).build();
    Attempt succeeded = Attempt.builder().number(2).provider("anthropic").startedAt(at(3)).finishedAt(at(7))
        .outcome(Attempt.Outcome.SUCCEEDED)
        .usage(TokenUsage.builder().input(1500).output(800).cachedInput(300).reasoning(120).build())
        .cost(Money.usd("0.012345678901234567"))
        .prompt("Draft it.\n\n## Output of « research »\nfacts… \"quoted\" 🌞").build();
    return TaskRecord.builder().project(project).runId(runId).taskId(taskId).title("Draft « " + taskId + " »")
        .state(TaskState.SUCCEEDED).lane(Priority.HIGH).provider("anthropic").attempts(List.of(failed, succeeded))
        .output("Once upon a time…\nline two\t\"quoted\" 🌞").errorKind(ErrorKind.TIMEOUT).error("timed out once")
        .cancellation(new Cancellation("bob", "changed mind", at(8)))
        .question(Question.asked("q-" + taskId, project, runId, taskId, "Which tone?", at(4)).answered("warm", at(5)))
        .updatedAt(at(9)).build();
  }

  /** A task just created, in {@code lane}. */
  protected static TaskRecord newTask(String project, String runId, String taskId) {
    return TaskRecord.created(project, runId, taskId, "Task " + taskId, Priority.MEDIUM, at(0));
  }

  private void createRun(String project, String runId, TaskRecord... tasks) {
    store.createRun(runningRun(project, runId, at(0)), "{\"workflow\":\"wf\"}", List.of(tasks));
  }

  // ------------------------------------------------------------------ groups

  /** Runs and tasks read back exactly as written. */
  @Nested
  class RunsAndTasks {
    @Test
    void aRunAndItsTasksRoundTripEveryField() {
      RunRecord run = fullRun("alpha", "run-1");
      TaskRecord full = fullTask("alpha", "run-1", "draft");
      TaskRecord fresh = newTask("alpha", "run-1", "edit");
      store.createRun(run, "{\"name\":\"write-chapter\"}", List.of(full, fresh));

      assertThat(store.run("alpha", "run-1")).contains(run);
      assertThat(store.runs("alpha")).containsExactly(run);
      assertThat(store.tasks("alpha", "run-1")).containsExactly(full, fresh);
      assertThat(store.task("alpha", "run-1", "draft")).contains(full);
      assertThat(store.task("alpha", "run-1", "edit")).contains(fresh);
      TaskRecord read = store.task("alpha", "run-1", "draft").orElseThrow();
      assertThat(read.attempts().get(0).cost().amount()).isEqualByComparingTo("0.000000015");
      assertThat(read.cost()).isEqualTo(Money.usd("0.012345678901234567").plus(Money.usd("0.000000015")));
      assertThat(read.usage()).isEqualTo(TokenUsage.builder().input(2700).output(800).cachedInput(1300).cacheWrite(200)
          .reasoning(120).build());
    }

    @Test
    void tasksComeBackInTheOrderTheyWereCreated() {
      createRun("alpha", "run-1", newTask("alpha", "run-1", "zeta"), newTask("alpha", "run-1", "alpha"),
          newTask("alpha", "run-1", "mu"));
      assertThat(store.tasks("alpha", "run-1")).extracting(TaskRecord::taskId).containsExactly("zeta", "alpha", "mu");
    }

    @Test
    void updateTaskReplacesEveryFieldAndCanClearThem() {
      TaskRecord fresh = newTask("alpha", "run-1", "draft");
      createRun("alpha", "run-1", fresh, newTask("alpha", "run-1", "other"));

      TaskRecord full = fullTask("alpha", "run-1", "draft");
      store.updateTask(full);
      assertThat(store.task("alpha", "run-1", "draft")).contains(full);

      TaskRecord cleared = TaskRecord.builder().project("alpha").runId("run-1").taskId("draft").title("Renamed")
          .state(TaskState.READY).lane(Priority.LOW).updatedAt(at(20)).build();
      store.updateTask(cleared);
      assertThat(store.task("alpha", "run-1", "draft")).contains(cleared);
      assertThat(store.task("alpha", "run-1", "other")).contains(newTask("alpha", "run-1", "other"));
    }

    @Test
    void updateRunReplacesEveryFieldAndCanClearThem() {
      RunRecord running = runningRun("alpha", "run-1", at(0));
      store.createRun(running, "{}", List.of());
      RunRecord finished = fullRun("alpha", "run-1");
      store.updateRun(finished);
      assertThat(store.run("alpha", "run-1")).contains(finished);
      RunRecord reopened = finished.withStatus(RunStatus.RUNNING, null).withCancellation(null);
      store.updateRun(reopened);
      assertThat(store.run("alpha", "run-1")).contains(reopened);
    }

    @Test
    void longAndUnusualTextRoundTrips() {
      String big = "x".repeat(70_000) + "\u0001\u001f controls (not NUL, which PostgreSQL text cannot hold), 😀 and \\ and ' and \" end";
      TaskRecord task = newTask("alpha", "run-1", "big").withOutput(big).withError(ErrorKind.UNKNOWN, big);
      createRun("alpha", "run-1", newTask("alpha", "run-1", "big"));
      store.updateTask(task);
      assertThat(store.task("alpha", "run-1", "big").orElseThrow().output()).isEqualTo(big);
    }

    @Test
    void runsAreListedOldestFirst() {
      store.createRun(runningRun("alpha", "b", at(0)), "{}", List.of());
      store.createRun(runningRun("alpha", "a", at(1)), "{}", List.of());
      store.createRun(runningRun("alpha", "c", at(2)), "{}", List.of());
      assertThat(store.runs("alpha")).extracting(RunRecord::id).containsExactly("b", "a", "c");
    }

    @Test
    void runsAreReadByIdInTheOrderAskedLeavingOutWhatTheProjectDoesNotHave() {
      store.createRun(runningRun("alpha", "b", at(0)), "{}", List.of());
      store.createRun(runningRun("alpha", "a", at(1)), "{}", List.of());
      store.createRun(runningRun("beta", "c", at(2)), "{}", List.of());
      List<String> many = new java.util.ArrayList<>();
      for (int i = 0; i < 1_200; i++) {
        many.add("missing-" + i);
      }
      many.add(700, "b");

      assertThat(store.runs("alpha", List.of("a", "nope", "c", "b"))).extracting(RunRecord::id)
          .containsExactly("a", "b");
      assertThat(store.runs("alpha", List.of("a")).get(0)).isEqualTo(store.run("alpha", "a").orElseThrow());
      assertThat(store.runs("alpha", many)).extracting(RunRecord::id).as("more ids than one query names")
          .containsExactly("b");
      assertThat(store.runs("alpha", List.of())).isEmpty();
      assertThat(store.runs("nobody", List.of("a"))).isEmpty();
    }

    @Test
    void whatIsNotThereIsEmpty() {
      createRun("alpha", "run-1", newTask("alpha", "run-1", "draft"));
      assertThat(store.run("alpha", "nope")).isEmpty();
      assertThat(store.run("nobody", "run-1")).isEmpty();
      assertThat(store.runs("nobody")).isEmpty();
      assertThat(store.tasks("alpha", "nope")).isEmpty();
      assertThat(store.task("alpha", "run-1", "nope")).isEmpty();
      assertThat(store.task("alpha", "nope", "draft")).isEmpty();
      assertThat(store.definition("alpha", "nope")).isEmpty();
      assertThat(store.events("alpha", "nope")).isEmpty();
    }

    @Test
    void updatingWhatIsNotThereFailsAndChangesNothing() {
      createRun("alpha", "run-1", newTask("alpha", "run-1", "draft"));
      assertThatThrownBy(() -> store.updateTask(newTask("alpha", "run-1", "nope").moveTo(TaskState.READY, at(1))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.updateTask(newTask("alpha", "nope", "draft")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.updateRun(runningRun("alpha", "nope", at(0))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(store.runs("alpha")).extracting(RunRecord::id).containsExactly("run-1");
      assertThat(store.tasks("alpha", "run-1")).containsExactly(newTask("alpha", "run-1", "draft"));
    }

    @Test
    void creatingARunCreatesItsProject() {
      createRun("fresh-project", "run-1");
      Project p = store.project("fresh-project").orElseThrow();
      assertThat(p.name()).isEqualTo("fresh-project");
      assertThat(p.archived()).isFalse();
      assertThat(store.projects()).contains("fresh-project");
    }
  }

  /** {@code createRun} is all or nothing. */
  @Nested
  class AtomicCreation {
    @Test
    void aRepeatedRunIdIsRejectedAndChangesNothing() {
      RunRecord run = runningRun("alpha", "run-1", at(0));
      store.createRun(run, "{\"v\":1}", List.of(newTask("alpha", "run-1", "a")));
      RunRecord again = fullRun("alpha", "run-1");
      assertThatThrownBy(() -> store.createRun(again, "{\"v\":2}",
          List.of(fullTask("alpha", "run-1", "a"), newTask("alpha", "run-1", "b"))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("run-1");
      assertThat(store.run("alpha", "run-1")).contains(run);
      assertThat(store.definition("alpha", "run-1")).contains("{\"v\":1}");
      assertThat(store.tasks("alpha", "run-1")).containsExactly(newTask("alpha", "run-1", "a"));
      assertThat(store.runs("alpha")).hasSize(1);
    }

    @Test
    void aTaskOfAnotherRunIsRejectedAndNothingIsStored() {
      assertThatThrownBy(() -> store.createRun(runningRun("alpha", "run-1", at(0)), "{}",
          List.of(newTask("alpha", "run-1", "a"), newTask("alpha", "run-2", "b"))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.createRun(runningRun("alpha", "run-1", at(0)), "{}",
          List.of(newTask("alpha", "run-1", "a"), newTask("beta", "run-1", "b"))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(store.run("alpha", "run-1")).isEmpty();
      assertThat(store.tasks("alpha", "run-1")).isEmpty();
      assertThat(store.definition("alpha", "run-1")).isEmpty();
      assertThat(store.unfinishedRuns()).isEmpty();
    }

    @Test
    void aRepeatedTaskIdIsRejectedAndNothingIsStored() {
      assertThatThrownBy(() -> store.createRun(runningRun("alpha", "run-1", at(0)), "{}",
          List.of(newTask("alpha", "run-1", "a"), fullTask("alpha", "run-1", "a"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("a");
      assertThat(store.run("alpha", "run-1")).isEmpty();
      assertThat(store.tasks("alpha", "run-1")).isEmpty();
    }
  }

  /** Workflow definitions are kept verbatim, per run. */
  @Nested
  class Definitions {
    @Test
    void aDefinitionIsReturnedVerbatim() {
      String definition = "{\n  \"name\": \"write-chapter\",\n  \"note\": \"l'été 🌞 \\\"q\\\"\",\n  \"pad\": \""
          + "y".repeat(50_000) + "\"\n}";
      store.createRun(runningRun("alpha", "run-1", at(0)), definition, List.of());
      store.createRun(runningRun("alpha", "run-2", at(0)), "{}", List.of());
      assertThat(store.definition("alpha", "run-1")).contains(definition);
      assertThat(store.definition("alpha", "run-2")).contains("{}");
    }

    @Test
    void aDefinitionSurvivesUpdatesOfItsRun() {
      store.createRun(runningRun("alpha", "run-1", at(0)), "{\"v\":1}", List.of());
      store.updateRun(fullRun("alpha", "run-1"));
      assertThat(store.definition("alpha", "run-1")).contains("{\"v\":1}");
    }
  }

  /** The admin query that recovery starts from. */
  @Nested
  class UnfinishedRuns {
    @Test
    void listsRunningRunsOfEveryProjectOldestFirst() {
      store.createRun(runningRun("beta", "late", at(30)), "{}", List.of());
      store.createRun(runningRun("alpha", "early", at(10)), "{}", List.of());
      store.createRun(runningRun("alpha", "done", at(5)).withStatus(RunStatus.SUCCEEDED, at(6)), "{}", List.of());
      store.createRun(runningRun("gamma", "middle", at(20)), "{}", List.of());
      assertThat(store.unfinishedRuns()).extracting(RunRecord::id).containsExactly("early", "middle", "late");
    }

    @Test
    void followsUpdates() {
      RunRecord run = runningRun("alpha", "run-1", at(0));
      store.createRun(run, "{}", List.of());
      store.updateRun(run.withStatus(RunStatus.FAILED, at(9)));
      assertThat(store.unfinishedRuns()).isEmpty();
      store.updateRun(run);
      assertThat(store.unfinishedRuns()).containsExactly(run);
    }
  }

  /** Events read back equal, in order, per project and run. */
  @Nested
  class Events {
    @Test
    void everyEventTypeRoundTrips() {
      List<Class<?>> types = eventTypes();
      assertThat(types).as("Event's permitted record types").isNotEmpty();
      Map<List<String>, List<Event>> byRun = new LinkedHashMap<>();
      for (Class<?> type : types) {
        for (boolean nulls : new boolean[] {false, true}) {
          Event e = (Event) sample(type, "alpha", "run-1", nulls);
          store.append(e);
          byRun.computeIfAbsent(List.of(e.project(), e.runId()), k -> new ArrayList<>()).add(e);
        }
      }
      for (Map.Entry<List<String>, List<Event>> entry : byRun.entrySet()) {
        assertThat(store.events(entry.getKey().get(0), entry.getKey().get(1)))
            .as("events of project '%s', run '%s'", entry.getKey().get(0), entry.getKey().get(1))
            .containsExactlyElementsOf(entry.getValue());
      }
    }

    @Test
    void eventsKeepTheirOrderAndStayWithTheirRun() {
      List<Event> one = new ArrayList<>();
      List<Event> two = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        Event a = new TaskStartedEvent("alpha", "run-1", "t" + i, at(100 - i), TaskState.READY, "claude", i);
        Event b = new TaskStartedEvent("alpha", "run-2", "t" + i, at(i), TaskState.READY, "claude", i);
        store.append(a);
        store.append(b);
        one.add(a);
        two.add(b);
      }
      assertThat(store.events("alpha", "run-1")).containsExactlyElementsOf(one);
      assertThat(store.events("alpha", "run-2")).containsExactlyElementsOf(two);
    }
  }

  /** The store-wide event stream: every event of every project, once each, in sequence order. */
  @Nested
  class EventStream {
    @BeforeEach
    void requireAStream() {
      try {
        store.lastEventSequence();
      } catch (UnsupportedOperationException e) {
        assumeTrue(false, "this store keeps no event stream: " + e.getMessage());
      }
    }

    private Event started(String project, String runId, String taskId, int attempt) {
      return new TaskStartedEvent(project, runId, taskId, at(attempt), TaskState.READY, "claude", attempt);
    }

    /** Everything from {@code after} on, read in batches of {@code max}. */
    private List<StoredEvent> readAll(long after, int max) {
      List<StoredEvent> out = new ArrayList<>();
      long last = after;
      while (true) {
        List<StoredEvent> batch = store.eventsAfter(last, max);
        assertThat(batch.size()).as("a batch holds at most max events").isLessThanOrEqualTo(max);
        if (batch.isEmpty()) {
          return out;
        }
        out.addAll(batch);
        last = batch.get(batch.size() - 1).sequence();
      }
    }

    @Test
    void anEmptyStoreHasNothingAndSequenceZero() {
      assertThat(store.lastEventSequence()).isZero();
      assertThat(store.eventsAfter(0, 10)).isEmpty();
    }

    @Test
    void fromZeroEveryProjectsEventsComeInTheOrderTheyWereAppended() {
      List<Event> appended = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        // Projects, runs and timestamps that sort differently from the order of appending.
        Event e = switch (i % 3) {
          case 0 -> started("beta", "run-b", "t" + i, 100 - i);
          case 1 -> started("alpha", "run-a", "t" + i, i);
          default -> started("", "", "t" + i, 50);
        };
        store.append(e);
        appended.add(e);
      }
      List<StoredEvent> read = store.eventsAfter(0, 100);
      assertThat(read).extracting(StoredEvent::event).containsExactlyElementsOf(appended);
      assertThat(read).extracting(StoredEvent::sequence).isSorted().doesNotHaveDuplicates()
          .allSatisfy(s -> assertThat(s).isPositive());
      assertThat(store.lastEventSequence()).isEqualTo(read.get(read.size() - 1).sequence());
    }

    @Test
    void maxBoundsEachBatchAndTheNextBatchGoesOnFromTheLastSequence() {
      List<Event> appended = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        Event e = started("alpha", "run-1", "t" + i, i);
        store.append(e);
        appended.add(e);
      }
      List<StoredEvent> first = store.eventsAfter(0, 3);
      assertThat(first).extracting(StoredEvent::event).containsExactlyElementsOf(appended.subList(0, 3));
      List<StoredEvent> second = store.eventsAfter(first.get(2).sequence(), 4);
      assertThat(second).extracting(StoredEvent::event).containsExactlyElementsOf(appended.subList(3, 7));
      assertThat(store.eventsAfter(first.get(0).sequence(), 1)).extracting(StoredEvent::event)
          .containsExactly(appended.get(1));
      assertThat(readAll(0, 3)).extracting(StoredEvent::event).containsExactlyElementsOf(appended);
      assertThat(readAll(0, 1)).extracting(StoredEvent::event).containsExactlyElementsOf(appended);
    }

    @Test
    void fromTheLastSequenceOnlyNewEventsCome() {
      store.append(started("alpha", "run-1", "a", 1));
      store.append(started("beta", "run-2", "b", 2));
      long last = store.lastEventSequence();
      assertThat(last).isPositive();
      assertThat(store.eventsAfter(last, 10)).isEmpty();

      Event later = started("gamma", "run-3", "c", 3);
      store.append(later);
      List<StoredEvent> read = store.eventsAfter(last, 10);
      assertThat(read).extracting(StoredEvent::event).containsExactly(later);
      assertThat(read.get(0).sequence()).isGreaterThan(last);
      assertThat(store.lastEventSequence()).isEqualTo(read.get(0).sequence());
      assertThat(store.eventsAfter(read.get(0).sequence() + 1000, 10)).as("after a sequence not reached yet")
          .isEmpty();
    }

    @Test
    void everyEventTypeComesThroughTheStreamUnchanged() {
      List<Event> appended = new ArrayList<>();
      for (Class<?> type : eventTypes()) {
        for (boolean nulls : new boolean[] {false, true}) {
          Event e = (Event) sample(type, "alpha", "run-1", nulls);
          store.append(e);
          appended.add(e);
        }
      }
      assertThat(readAll(0, 7)).extracting(StoredEvent::event).containsExactlyElementsOf(appended);
    }

    @Test
    void badArgumentsAreRefusedNamingTheValue() {
      assertThatThrownBy(() -> store.eventsAfter(-1, 10)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sequence").hasMessageContaining("-1");
      assertThatThrownBy(() -> store.eventsAfter(0, 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("max").hasMessageContaining("0");
    }

    @Test
    void eventsOfATypeThisVersionDoesNotKnowAreSkipped() throws Exception {
      Event before = started("alpha", "run-1", "before", 1);
      store.append(before);
      for (int i = 0; i < 5; i++) {
        appendEventOfUnknownType(store, "alpha", "run-1");
      }
      Event after = started("alpha", "run-1", "after", 2);
      store.append(after);

      List<StoredEvent> first = store.eventsAfter(0, 1);
      assertThat(first).extracting(StoredEvent::event).containsExactly(before);
      // A whole batch of unknown events must not stall a reader: the next known one still comes.
      assertThat(store.eventsAfter(first.get(0).sequence(), 1)).extracting(StoredEvent::event)
          .containsExactly(after);
      assertThat(readAll(0, 2)).extracting(StoredEvent::event).containsExactly(before, after);
      assertThat(store.events("alpha", "run-1")).containsExactly(before, after);
    }

    @Test
    void aReaderFollowingConcurrentAppendsSeesEveryEventOnceInSequenceOrder() throws Exception {
      int writers = 6;
      int perWriter = 150;
      AtomicInteger finished = new AtomicInteger();
      List<StoredEvent> seen = new ArrayList<>();
      Together.run(writers + 1, t -> {
        if (t < writers) {
          for (int i = 0; i < perWriter; i++) {
            store.append(new TaskStartedEvent("p" + t % 3, "run-" + t, "t" + i, at(i), TaskState.READY, "w" + t, i));
          }
          finished.incrementAndGet();
          return;
        }
        long last = 0;
        while (true) {
          // Read before asking: when every writer had finished before this read began, an empty answer is the end.
          boolean writersDone = finished.get() == writers;
          List<StoredEvent> batch = store.eventsAfter(last, 25);
          for (StoredEvent e : batch) {
            assertThat(e.sequence()).as("the reader never goes back").isGreaterThan(last);
            last = e.sequence();
            seen.add(e);
          }
          if (batch.isEmpty()) {
            if (writersDone) {
              return;
            }
            Thread.onSpinWait();
          }
        }
      });

      List<StoredEvent> stream = readAll(0, 500);
      assertThat(stream).hasSize(writers * perWriter);
      List<StoredEvent> skipped = new ArrayList<>(stream);
      skipped.removeAll(seen);
      assertThat(skipped).as("events the reader skipped: they became visible behind its position").isEmpty();
      assertThat(seen).as("what the reader saw while they were appended is the whole stream, in its order")
          .containsExactlyElementsOf(stream);
      for (int t = 0; t < writers; t++) {
        String writer = "w" + t;
        assertThat(seen.stream().map(StoredEvent::event).map(TaskStartedEvent.class::cast)
            .filter(e -> e.provider().equals(writer)).map(TaskStartedEvent::attempt).toList())
            .as("writer %s's events, each once, in the order it appended them", writer)
            .containsExactlyElementsOf(java.util.stream.IntStream.range(0, perWriter).boxed().toList());
      }
    }

    @Test
    void theStreamSurvivesAReopenAndItsSequenceGoesOnGrowing() {
      assumeTrue(store.durable(), "the store is not durable");
      Event kept = started("alpha", "run-1", "kept", 1);
      store.append(kept);
      long last = store.lastEventSequence();

      store = reopen(store);

      assertThat(store.lastEventSequence()).isEqualTo(last);
      assertThat(store.eventsAfter(0, 10)).extracting(StoredEvent::event).containsExactly(kept);
      Event later = started("alpha", "run-1", "later", 2);
      store.append(later);
      List<StoredEvent> read = store.eventsAfter(last, 10);
      assertThat(read).extracting(StoredEvent::event).containsExactly(later);
      assertThat(read.get(0).sequence()).isGreaterThan(last);
    }
  }

  /** Project A can neither see nor change project B's runs, tasks or events. */
  @Nested
  class Isolation {
    @Test
    void aProjectCannotSeeAnotherProjectsRun() {
      TaskRecord task = fullTask("b", "run-b", "draft");
      store.createRun(fullRun("b", "run-b"), "{\"secret\":\"b\"}", List.of(task));
      store.append(new TaskStartedEvent("b", "run-b", "draft", at(1), TaskState.READY, "claude", 1));

      assertThat(store.run("a", "run-b")).isEmpty();
      assertThat(store.runs("a")).isEmpty();
      assertThat(store.tasks("a", "run-b")).isEmpty();
      assertThat(store.task("a", "run-b", "draft")).isEmpty();
      assertThat(store.definition("a", "run-b")).isEmpty();
      assertThat(store.events("a", "run-b")).isEmpty();
    }

    @Test
    void aProjectCannotChangeAnotherProjectsRun() {
      TaskRecord task = newTask("b", "run-b", "draft");
      RunRecord run = runningRun("b", "run-b", at(0));
      store.createRun(run, "{}", List.of(task));
      createRun("a", "run-a", newTask("a", "run-a", "draft"));

      TaskRecord forged = TaskRecord.builder().project("a").runId("run-b").taskId("draft").title("forged")
          .state(TaskState.SUCCEEDED).lane(Priority.HIGH).provider("x").output("forged output").updatedAt(at(5))
          .build();
      assertThatThrownBy(() -> store.updateTask(forged)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.updateRun(RunRecord.builder().project("a").id("run-b").workflow("wf")
          .status(RunStatus.CANCELLED).submittedAt(at(0)).finishedAt(at(1)).build())).isInstanceOf(IllegalArgumentException.class);

      assertThat(store.task("b", "run-b", "draft")).contains(task);
      assertThat(store.run("b", "run-b")).contains(run);
      assertThat(store.run("a", "run-b")).isEmpty();
      assertThat(store.tasks("a", "run-a")).containsExactly(newTask("a", "run-a", "draft"));
    }

    @Test
    void theSameRunIdInTwoProjectsIsTwoRuns() {
      RunRecord inA = runningRun("a", "run-1", at(0));
      RunRecord inB = fullRun("b", "run-1");
      store.createRun(inA, "{\"p\":\"a\"}", List.of(newTask("a", "run-1", "t")));
      store.createRun(inB, "{\"p\":\"b\"}", List.of(fullTask("b", "run-1", "t")));
      Event eventA = new TaskStartedEvent("a", "run-1", "t", at(1), TaskState.READY, "claude", 1);
      Event eventB = new TaskStartedEvent("b", "run-1", "t", at(2), TaskState.READY, "openai", 2);
      store.append(eventA);
      store.append(eventB);

      TaskRecord changed = newTask("a", "run-1", "t").moveTo(TaskState.READY, at(3));
      store.updateTask(changed);

      assertThat(store.run("a", "run-1")).contains(inA);
      assertThat(store.run("b", "run-1")).contains(inB);
      assertThat(store.definition("a", "run-1")).contains("{\"p\":\"a\"}");
      assertThat(store.definition("b", "run-1")).contains("{\"p\":\"b\"}");
      assertThat(store.tasks("a", "run-1")).containsExactly(changed);
      assertThat(store.tasks("b", "run-1")).containsExactly(fullTask("b", "run-1", "t"));
      assertThat(store.events("a", "run-1")).containsExactly(eventA);
      assertThat(store.events("b", "run-1")).containsExactly(eventB);
    }
  }

  /** Creating, archiving, restoring and listing projects. */
  @Nested
  class Projects {
    @Test
    void aProjectRoundTrips() {
      Project p = Project.of("quantum-self", T0, ZoneId.of("Europe/Paris"))
          .withSettings(Map.of("providers", "claude,openai", "note", "l'été 🌞 \"q\""));
      store.createProject(p);
      assertThat(store.project("quantum-self")).contains(p);
      assertThat(store.project("nope")).isEmpty();
    }

    @Test
    void aRepeatedNameIsAnError() {
      store.createProject(Project.of("dup", T0, ZoneOffset.UTC));
      assertThatThrownBy(() -> store.createProject(Project.of("dup", at(5), ZoneId.of("Asia/Tokyo"))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("dup");
      assertThat(store.project("dup")).contains(Project.of("dup", T0, ZoneOffset.UTC));
    }

    @Test
    void aProjectMadeByARunCannotBeCreatedAgain() {
      createRun("auto", "run-1");
      assertThatThrownBy(() -> store.createProject(Project.of("auto", T0, ZoneOffset.UTC)))
          .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void archiveAndRestore() {
      Project p = Project.of("old", T0, ZoneOffset.UTC);
      store.createProject(Project.of("new", T0, ZoneOffset.UTC));
      store.createProject(p);
      store.updateProject(p.withArchived(true));

      assertThat(store.project("old")).contains(p.withArchived(true));
      assertThat(store.projects()).containsExactly("new");
      assertThat(store.projectList(false)).extracting(Project::name).containsExactly("new");
      assertThat(store.projectList(true)).extracting(Project::name).containsExactly("new", "old");

      store.updateProject(p.withSettings(Map.of("budget", "20")));
      assertThat(store.project("old")).contains(p.withSettings(Map.of("budget", "20")));
      assertThat(store.projects()).containsExactly("new", "old");
    }

    @Test
    void listsAreSortedByName() {
      for (String name : List.of("m", "b", "z", "a")) {
        store.createProject(Project.of(name, T0, ZoneOffset.UTC));
      }
      assertThat(store.projects()).containsExactly("a", "b", "m", "z");
      assertThat(store.projectList(true)).extracting(Project::name).containsExactly("a", "b", "m", "z");
    }

    @Test
    void updatingAnUnknownProjectFails() {
      assertThatThrownBy(() -> store.updateProject(Project.of("ghost", T0, ZoneOffset.UTC)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ghost");
      assertThat(store.project("ghost")).isEmpty();
    }
  }

  /** Budget limits: saved, replaced, deleted, exact to the last digit. */
  @Nested
  class Budgets {
    @Test
    void everyScopeRoundTripsExactly() {
      List<Budget> all = List.of(
          Budget.of(BudgetScope.global(), Money.usd("100")),
          Budget.builder().scope(BudgetScope.project("quantum-self")).limit(Money.usd("0.000000015"))
              .thresholds(List.of(0.1, 0.333, 0.99)).build(),
          Budget.of(BudgetScope.provider("claude"), Money.usd("1234567890.123456789012345678")),
          Budget.builder().scope(BudgetScope.providerDaily("openai")).limit(Money.usd("20.50")).thresholds(List.of())
              .build(),
          Budget.of(BudgetScope.run("run-1"), new Money(new BigDecimal("3.10"), Currency.getInstance("USD"))),
          Budget.of(BudgetScope.task("run-1", "draft"), Money.usd("0")));
      all.forEach(store::saveBudget);
      assertThat(store.budgets()).containsExactlyInAnyOrderElementsOf(all);
      Budget tiny = store.budgets().stream().filter(b -> b.scope().kind() == BudgetScope.Kind.PROJECT)
          .findFirst().orElseThrow();
      assertThat(tiny.limit().amount()).isEqualByComparingTo("0.000000015");
    }

    @Test
    void savingTheSameScopeReplaces() {
      store.saveBudget(Budget.of(BudgetScope.project("p"), Money.usd("10")));
      store.saveBudget(Budget.of(BudgetScope.project("p"), Money.usd("12.5")).toBuilder().thresholds(List.of(0.8)).build());
      store.saveBudget(Budget.of(BudgetScope.project("q"), Money.usd("1")));
      assertThat(store.budgets()).containsExactlyInAnyOrder(
          Budget.of(BudgetScope.project("p"), Money.usd("12.5")).toBuilder().thresholds(List.of(0.8)).build(),
          Budget.of(BudgetScope.project("q"), Money.usd("1")));
    }

    @Test
    void deleteSaysWhetherThereWasOne() {
      store.saveBudget(Budget.of(BudgetScope.providerDaily("claude"), Money.usd("20")));
      assertThat(store.deleteBudget(BudgetScope.providerDaily("claude"))).isTrue();
      assertThat(store.deleteBudget(BudgetScope.providerDaily("claude"))).isFalse();
      assertThat(store.deleteBudget(BudgetScope.provider("claude"))).isFalse();
      assertThat(store.budgets()).isEmpty();
    }
  }

  /** Many threads writing at once lose nothing. */
  @Nested
  class Concurrency {
    private static final int THREADS = 8;

    @Test
    void updatesOfDifferentTasksAndAppendsLoseNothing() throws Exception {
      int perThread = 15;
      List<TaskRecord> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < perThread; i++) {
          tasks.add(newTask("alpha", "run-1", "t" + t + "-" + i));
        }
      }
      store.createRun(runningRun("alpha", "run-1", at(0)), "{}", tasks);

      Together.run(THREADS, t -> {
        for (int i = 0; i < perThread; i++) {
          String id = "t" + t + "-" + i;
          TaskRecord task = newTask("alpha", "run-1", id).moveTo(TaskState.READY, at(1));
          store.updateTask(task);
          store.append(new TaskStartedEvent("alpha", "run-1", id, at(2), TaskState.READY, "p" + t, i));
          store.updateTask(task.moveTo(TaskState.RUNNING, at(2)).withAttemptStarted("p" + t, at(2))
              .moveTo(TaskState.SUCCEEDED, at(3)).withOutput("out " + id));
        }
      });

      List<TaskRecord> read = store.tasks("alpha", "run-1");
      assertThat(read).hasSize(THREADS * perThread);
      assertThat(read).allSatisfy(task -> {
        assertThat(task.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(task.output()).isEqualTo("out " + task.taskId());
        assertThat(task.attempts()).hasSize(1);
      });
      List<Event> events = store.events("alpha", "run-1");
      assertThat(events).hasSize(THREADS * perThread);
      for (int t = 0; t < THREADS; t++) {
        String provider = "p" + t;
        assertThat(events.stream().filter(e -> ((TaskStartedEvent) e).provider().equals(provider))
            .map(e -> ((TaskStartedEvent) e).attempt()).toList())
            .as("one thread's events keep their order").isSorted().hasSize(perThread);
      }
    }

    @Test
    void runsCreatedAtOnceInANewProjectAreAllKept() throws Exception {
      Together.run(THREADS, t -> {
        for (int i = 0; i < 3; i++) {
          String runId = "run-" + t + "-" + i;
          store.createRun(runningRun("together", runId, at(t)), "{}", List.of(newTask("together", runId, "x")));
        }
      });
      assertThat(store.runs("together")).hasSize(THREADS * 3);
      assertThat(store.unfinishedRuns()).hasSize(THREADS * 3);
      assertThat(store.projects()).containsExactly("together");
    }

    @Test
    void budgetsSavedAtOnceAreAllKept() throws Exception {
      Together.run(THREADS, t -> {
        for (int i = 0; i < 5; i++) {
          store.saveBudget(Budget.of(BudgetScope.provider("p" + t), Money.usd(i + ".5")));
          store.saveBudget(Budget.of(BudgetScope.global(), Money.usd("7")));
        }
      });
      assertThat(store.budgets()).hasSize(THREADS + 1)
          .contains(Budget.of(BudgetScope.global(), Money.usd("7")))
          .allSatisfy(b -> assertThat(b.limit().amount()).isIn(new BigDecimal("7"), new BigDecimal("4.5")));
    }
  }

  /** What a durable store writes survives closing and opening it again. */
  @Nested
  class Persistence {
    @Test
    void everythingSurvivesAReopen() {
      assumeTrue(store.durable(), "the store is not durable");
      Project project = Project.of("kept", T0, ZoneId.of("America/New_York")).withSettings(Map.of("k", "v"));
      store.createProject(project);
      store.createProject(Project.of("archived", T0, ZoneOffset.UTC).withArchived(true));
      RunRecord run = fullRun("kept", "run-1");
      RunRecord running = runningRun("kept", "run-2", at(3));
      TaskRecord task = fullTask("kept", "run-1", "draft");
      store.createRun(run, "{\"kept\":true}", List.of(task, newTask("kept", "run-1", "edit")));
      store.createRun(running, "{}", List.of());
      TaskRecord updated = newTask("kept", "run-1", "edit").moveTo(TaskState.READY, at(4));
      store.updateTask(updated);
      Event event = (Event) sample(TaskStartedEvent.class, "kept", "run-1", false);
      store.append(event);
      Budget budget = Budget.of(BudgetScope.project("kept"), Money.usd("0.000000015"));
      store.saveBudget(budget);

      store = reopen(store);

      assertThat(store.durable()).isTrue();
      assertThat(store.project("kept")).contains(project);
      assertThat(store.projectList(true)).extracting(Project::name).containsExactly("archived", "kept");
      assertThat(store.projects()).containsExactly("kept");
      assertThat(store.runs("kept")).containsExactly(run, running);
      assertThat(store.unfinishedRuns()).containsExactly(running);
      assertThat(store.definition("kept", "run-1")).contains("{\"kept\":true}");
      assertThat(store.tasks("kept", "run-1")).containsExactly(task, updated);
      assertThat(store.events("kept", "run-1")).containsExactly(event);
      assertThat(store.budgets()).containsExactly(budget);
    }

    @Test
    void closeIsIdempotent() {
      assumeTrue(store.durable(), "the store is not durable");
      createRun("alpha", "run-1");
      store = reopen(store);
      store.close();
      store.close();
      store = reopen(store);
      assertThat(store.run("alpha", "run-1")).isPresent();
    }
  }

  // ------------------------------------------------------------------ reflective samples

  /** Commands between processes, for stores that pass them. */
  @Nested
  class Commands {
    private dev.orchestrator.spi.store.Command command(String id, String project) {
      return dev.orchestrator.spi.store.Command.builder().id(id).kind(dev.orchestrator.spi.store.Command.Kind.CANCEL)
          .project(project).runId("run-1").target("task-1").by("alice").text("stop, l'\"été\"").at(at(5)).build();
    }

    @Test
    void areTakenOnceInTheOrderTheyWereSubmitted() {
      try {
        store.submitCommand(command("c1", "a"));
      } catch (UnsupportedOperationException e) {
        assumeTrue(false, "this store does not pass commands between processes");
      }
      store.submitCommand(command("c2", "b"));
      assertThat(store.takeCommands()).containsExactly(command("c1", "a"), command("c2", "b"));
      assertThat(store.takeCommands()).isEmpty();
    }

    @Test
    void survivesAReopenWhenDurable() {
      assumeTrue(store.durable(), "this store is not durable");
      try {
        store.submitCommand(command("c3", "a"));
      } catch (UnsupportedOperationException e) {
        assumeTrue(false, "this store does not pass commands between processes");
      }
      store = reopen(store);
      assertThat(store.takeCommands()).containsExactly(command("c3", "a"));
    }
  }

  /** Every record type that implements {@link Event}, found through the sealed hierarchy. */
  protected static List<Class<?>> eventTypes() {
    List<Class<?>> out = new ArrayList<>();
    collect(Event.class, out);
    return out;
  }

  private static void collect(Class<?> type, List<Class<?>> out) {
    if (type.isRecord()) {
      if (!out.contains(type)) {
        out.add(type);
      }
      return;
    }
    Class<?>[] permitted = type.getPermittedSubclasses();
    if (permitted == null) {
      fail(type.getName() + " is neither a record nor sealed: StoreContract cannot build samples of it; "
          + "make it a record or a sealed interface");
      return;
    }
    for (Class<?> sub : permitted) {
      collect(sub, out);
    }
  }

  /**
   * A sample instance of a record type: components named {@code project} and {@code runId} get the given values,
   * nullable components (JSpecify {@code @Nullable}) get null when {@code nulls} is set, and every other component a
   * value of its type.
   */
  protected static Object sample(Class<?> recordType, String project, String runId, boolean nulls) {
    RecordComponent[] components = recordType.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      boolean nullable = c.getAnnotatedType().isAnnotationPresent(Nullable.class)
          || c.isAnnotationPresent(Nullable.class);
      args[i] = nulls && nullable ? null : sampleValue(recordType, c.getName(), c.getType(), project, runId, i);
    }
    try {
      Constructor<?> canonical = recordType.getDeclaredConstructor(types);
      return canonical.newInstance(args);
    } catch (InvocationTargetException e) {
      throw new AssertionError("StoreContract's sample of " + recordType.getSimpleName() + " was rejected by its "
          + "constructor: " + e.getCause() + "; add a case for it to StoreContract.sampleValue", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot build a sample of " + recordType.getName() + ": " + e, e);
    }
  }

  private static Object sampleValue(Class<?> owner, String name, Class<?> type, String project, String runId,
      int index) {
    if (type == String.class) {
      return switch (name) {
        case "project" -> project;
        case "runId" -> runId;
        case "taskId" -> "task-1";
        case "provider" -> "claude";
        default -> name + " of " + owner.getSimpleName() + " é🌞\"'";
      };
    }
    if (type == int.class || type == Integer.class) {
      return 3 + index;
    }
    if (type == long.class || type == Long.class) {
      return 5_000_000_000L + index;
    }
    if (type == double.class || type == Double.class) {
      return 0.75;
    }
    if (type == boolean.class || type == Boolean.class) {
      return true;
    }
    if (type == Instant.class) {
      return at(index).plus(17, ChronoUnit.MICROS);
    }
    if (type == Duration.class) {
      return Duration.ofSeconds(90, 123_456_789);
    }
    if (type == BigDecimal.class) {
      return new BigDecimal("0.000000015");
    }
    if (type == Money.class) {
      return Money.usd("0.000000015").plus(Money.usd(String.valueOf(index)));
    }
    if (type == Currency.class) {
      return Money.USD;
    }
    if (type == TokenUsage.class) {
      // Every count set, so a store that drops one fails the round trip.
      return TokenUsage.builder().input(100 + index).output(200).cachedInput(30).cacheWrite(4).reasoning(5)
          .cacheWrite1h(2).audioInput(6).audioOutput(7).imageInput(8).imageOutput(9).build();
    }
    if (type == BudgetScope.class) {
      return BudgetScope.task(runId, "task-1");
    }
    if (type == ZoneId.class) {
      return ZoneId.of("Europe/Paris");
    }
    if (type == List.class) {
      return List.of();
    }
    if (type == Map.class) {
      return Map.of();
    }
    if (type == Optional.class) {
      return Optional.empty();
    }
    if (type.isEnum()) {
      Object[] constants = type.getEnumConstants();
      return constants[(index + name.length()) % constants.length];
    }
    if (type.isRecord()) {
      return sample(type, project, runId, false);
    }
    throw new AssertionError("StoreContract cannot make a sample " + type.getName() + " for " + owner.getSimpleName()
        + "." + name + ": add a case for it to StoreContract.sampleValue");
  }
}
