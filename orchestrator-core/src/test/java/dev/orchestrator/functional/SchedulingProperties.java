package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Priority;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskPriorityBoostedEvent;
import dev.orchestrator.event.TaskReadyEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.event.TaskSucceededEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the scheduler over random graphs, timings and priorities, all in virtual time. */
class SchedulingProperties {

  /** A random DAG: task i may depend on any earlier task; each task runs on one of two providers. */
  record Dag(int size, List<Set<Integer>> deps, List<Boolean> slow, List<Priority> priorities) {
    Workflow workflow() {
      Workflow.Builder b = Workflow.builder("random");
      for (int i = 0; i < size; i++) {
        int id = i;
        TaskSpec.Builder t = TaskSpec.builder("t" + i).instructions("t" + i)
            .provider(slow.get(i) ? "slow" : "fast").priority(priorities.get(i));
        deps.get(id).forEach(d -> t.dependsOn("t" + d));
        b.task(t.build());
      }
      return b.build();
    }

    Set<Integer> downstreamOf(int k) {
      Set<Integer> out = new HashSet<>();
      ArrayDeque<Integer> todo = new ArrayDeque<>(List.of(k));
      while (!todo.isEmpty()) {
        int x = todo.poll();
        for (int i = 0; i < size; i++) {
          if (deps.get(i).contains(x) && out.add(i)) {
            todo.add(i);
          }
        }
      }
      return out;
    }
  }

  @Provide
  Arbitrary<Dag> dags() {
    return Arbitraries.integers().between(1, 30).flatMap(n -> {
      Arbitrary<List<Set<Integer>>> deps = Arbitraries.integers().between(0, 1_000_000).list().ofSize(n)
          .map(seeds -> {
            List<Set<Integer>> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              Set<Integer> d = new HashSet<>();
              java.util.Random r = new java.util.Random(seeds.get(i));
              for (int j = 0; j < i; j++) {
                if (r.nextInt(4) == 0) {
                  d.add(j);
                }
              }
              out.add(d);
            }
            return out;
          });
      Arbitrary<List<Boolean>> slow = Arbitraries.of(true, false).list().ofSize(n);
      Arbitrary<List<Priority>> prio = Arbitraries.of(Priority.class).list().ofSize(n);
      return Combinators.combine(deps, slow, prio).as((d, s, p) -> new Dag(n, d, s, p));
    });
  }

  private static Orchestrator engine(Harness h, int fastLimit, int slowLimit) {
    FakeProvider fast = FakeProvider.builder("fast").scheduler(h.scheduler).latency(Duration.ofSeconds(3)).build();
    FakeProvider slow = FakeProvider.builder("slow").scheduler(h.scheduler).latency(Duration.ofSeconds(7)).build();
    return h.builder().provider(fast, fastLimit).provider(slow, slowLimit).build();
  }

  @Property
  void everyTaskRunsExactlyOnceAndNeverBeforeItsDependenciesFinished(@ForAll("dags") Dag dag,
      @ForAll @IntRange(min = 1, max = 4) int fastLimit, @ForAll @IntRange(min = 1, max = 4) int slowLimit) {
    Harness h = new Harness();
    try (Orchestrator o = engine(h, fastLimit, slowLimit)) {
      Run run = o.submit("p", dag.workflow());
      h.scheduler.runUntilIdle(Duration.ofDays(1));
      RunSnapshot done = run.completion().getNow(null);
      assertThat(done).as("the run finished").isNotNull();
      assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);

      List<Event> events = h.events.events();
      Map<String, Integer> started = new HashMap<>();
      Map<String, Integer> succeeded = new HashMap<>();
      for (int i = 0; i < events.size(); i++) {
        Event e = events.get(i);
        if (e instanceof TaskStartedEvent s) {
          assertThat(started.put(s.taskId(), i)).as("%s started twice", s.taskId()).isNull();
        } else if (e instanceof TaskSucceededEvent s) {
          assertThat(succeeded.put(s.taskId(), i)).as("%s succeeded twice", s.taskId()).isNull();
        }
      }
      assertThat(started).hasSize(dag.size());
      for (int i = 0; i < dag.size(); i++) {
        for (int d : dag.deps().get(i)) {
          assertThat(succeeded.get("t" + d)).as("t%d finished before t%d started", d, i)
              .isLessThan(started.get("t" + i));
        }
      }
    }
  }

  @Property
  void aCancelledTasksDependantsNeverRun(@ForAll("dags") Dag dag, @ForAll @IntRange(min = 0, max = 29) int pick,
      @ForAll @IntRange(min = 0, max = 20) int cancelAfterSeconds) {
    int k = pick % dag.size();
    Harness h = new Harness();
    try (Orchestrator o = engine(h, 2, 2)) {
      Run run = o.submit("p", dag.workflow());
      h.scheduler.advance(Duration.ofSeconds(cancelAfterSeconds));
      TaskState before = run.task("t" + k).state();
      Instant cancelledAt = h.clock.instant();
      int eventsBefore = h.events.events().size();
      run.cancelTask("t" + k, "property", "random cancel");
      h.scheduler.runUntilIdle(Duration.ofDays(1));
      RunSnapshot done = run.completion().getNow(null);
      assertThat(done).isNotNull();
      if (before == TaskState.SUCCEEDED) {
        assertThat(done.task("t" + k).state()).isEqualTo(TaskState.SUCCEEDED);
        return;
      }
      assertThat(done.task("t" + k).state()).isEqualTo(TaskState.CANCELLED);
      List<Event> after = h.events.events().subList(eventsBefore, h.events.events().size());
      for (int d : dag.downstreamOf(k)) {
        assertThat(done.task("t" + d).state()).isEqualTo(TaskState.SKIPPED);
        assertThat(after).noneMatch(e -> e instanceof TaskStartedEvent s && s.taskId().equals("t" + d));
      }
      assertThat(cancelledAt).isNotNull();
    }
  }

  @Property
  void aHigherLaneIsAlwaysServedFirstWhenNothingHasAged(@ForAll("dags") Dag dag,
      @ForAll @IntRange(min = 1, max = 3) int limit) {
    Harness h = new Harness();
    try (Orchestrator o = h.builder().boostInterval(Duration.ofDays(365))
        .provider(FakeProvider.builder("fast").scheduler(h.scheduler).latency(Duration.ofSeconds(3)).build(), limit)
        .provider(FakeProvider.builder("slow").scheduler(h.scheduler).latency(Duration.ofSeconds(7)).build(), limit)
        .build()) {
      o.submit("p", dag.workflow());
      h.scheduler.runUntilIdle(Duration.ofDays(1));
      // Replay the events: whenever a task starts, no task of a higher lane may be waiting for the same provider,
      // and within its lane it is the one that waited longest.
      Map<String, List<String>> waiting = new HashMap<>();
      Map<String, Priority> lane = new HashMap<>();
      Map<String, String> providerOf = new HashMap<>();
      for (int i = 0; i < dag.size(); i++) {
        providerOf.put("t" + i, dag.slow().get(i) ? "slow" : "fast");
      }
      for (Event e : h.events.events()) {
        if (e instanceof TaskReadyEvent r) {
          waiting.computeIfAbsent(providerOf.get(r.taskId()), x -> new ArrayList<>()).add(r.taskId());
          lane.put(r.taskId(), r.lane());
        } else if (e instanceof TaskStartedEvent s) {
          List<String> queue = waiting.get(s.provider());
          Priority mine = lane.get(s.taskId());
          String firstOfMyLane = queue.stream().filter(t -> lane.get(t) == mine).findFirst().orElseThrow();
          assertThat(queue).allSatisfy(t -> assertThat(lane.get(t)).isGreaterThanOrEqualTo(mine));
          assertThat(s.taskId()).isEqualTo(firstOfMyLane);
          queue.remove(s.taskId());
        }
      }
    }
  }

  @Property(tries = 60)
  void agingLetsNoLaneStarve(@ForAll @IntRange(min = 2, max = 30) int boostHours,
      @ForAll boolean startLow, @ForAll("arrivals") List<Integer> perHour) {
    Harness h = new Harness();
    FakeProvider p = FakeProvider.builder("p").scheduler(h.scheduler).latency(Duration.ofHours(1)).build();
    try (Orchestrator o = h.builder().boostInterval(Duration.ofHours(boostHours)).provider(p, 1).build()) {
      Priority start = startLow ? Priority.LOW : Priority.MEDIUM;
      o.submit("p", Workflow.builder("first").task("first", t -> t.instructions("first").priority(Priority.HIGH))
          .build());
      o.submit("p", Workflow.builder("w").task("patient", t -> t.instructions("patient").priority(start)).build());
      // At least one HIGH task arrives per hour and each takes an hour: the HIGH lane never empties.
      int n = 0;
      for (int arrivals : perHour) {
        for (int a = 0; a < arrivals; a++) {
          String id = "h" + n++;
          o.submit("p", Workflow.builder(id).task(id, t -> t.instructions(id).priority(Priority.HIGH)).build());
        }
        h.scheduler.advance(Duration.ofHours(1));
      }
      // The arrivals stop; what is queued drains (each aged task joined the HIGH lane in arrival order).
      h.scheduler.runUntilIdle(Duration.ofDays(60));
      List<String> order = p.requests().stream().map(r -> r.prompt()).toList();
      assertThat(order).as("the patient task ran").contains("patient");
      List<TaskPriorityBoostedEvent> boosts = h.events.events(TaskPriorityBoostedEvent.class);
      assertThat(boosts).hasSize(start == Priority.LOW ? 2 : 1);
      // Once in the HIGH lane it is FIFO: it starts before every HIGH task that became ready after its last boost.
      Instant reachedHigh = boosts.get(boosts.size() - 1).at();
      int patientAt = order.indexOf("patient");
      List<TaskReadyEvent> laterHighs = h.events.events(TaskReadyEvent.class).stream()
          .filter(r -> r.at().isAfter(reachedHigh)).toList();
      for (TaskReadyEvent r : laterHighs) {
        int at = order.indexOf(r.taskId());
        assertThat(at == -1 || at > patientAt).as("%s overtook the boosted task", r.taskId()).isTrue();
      }
    }
  }

  @Provide
  Arbitrary<List<Integer>> arrivals() {
    return Arbitraries.integers().between(1, 3).list().ofSize(140);
  }
}
