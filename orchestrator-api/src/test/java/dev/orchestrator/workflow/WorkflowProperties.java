package dev.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Invariants of building a workflow: DAGs build in order, cycles are refused by path, and each task's setters hold to
 * the documented rules.
 */
class WorkflowProperties {
  /** {@code parents[i]} holds tasks before {@code i}; the tasks are then added in a shuffled order. */
  private static int[][] randomDag(Random random, int n) {
    int[][] parents = new int[n][];
    for (int i = 0; i < n; i++) {
      int count = i == 0 ? 0 : random.nextInt(Math.min(i, 4) + 1);
      Set<Integer> chosen = new HashSet<>();
      while (chosen.size() < count) {
        chosen.add(random.nextInt(i));
      }
      parents[i] = chosen.stream().mapToInt(Integer::intValue).toArray();
    }
    return parents;
  }

  private static Workflow.Builder builder(int[][] parents, List<Integer> insertion) {
    Workflow.Builder b = Workflow.builder("random");
    for (int i : insertion) {
      String[] deps = Arrays.stream(parents[i]).mapToObj(p -> "t" + p).toArray(String[]::new);
      b.task("t" + i, t -> t.instructions("x").dependsOn(deps));
    }
    return b;
  }

  private static List<Integer> shuffled(Random random, int n) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    return order;
  }

  @Property
  void randomDagsBuildInATopologicalOrderWithTheirDependenciesResolved(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 80) int n) {
    Random random = new Random(seed);
    int[][] parents = randomDag(random, n);
    Workflow w = builder(parents, shuffled(random, n)).build();

    assertThat(w.tasks()).hasSize(n);
    for (int i = 0; i < n; i++) {
      TaskSpec t = w.tasks().get(i);
      assertThat(w.indexOf(t.id())).isEqualTo(i);
      assertThat(w.task(t.id())).isSameAs(t);
      assertThat(w.dependencyCount(i)).isEqualTo(t.dependsOn().size());
      for (int k = 0; k < t.dependsOn().size(); k++) {
        assertThat(w.dependency(i, k)).isEqualTo(w.indexOf(t.dependsOn().get(k))).isLessThan(i);
      }
    }
    assertThat(w.indexOf("t" + n)).isEqualTo(-1);
  }

  @Property
  void aCycleIsRefusedNamingAPathOfRealDependencies(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int n) {
    Random random = new Random(seed);
    int[][] parents = randomDag(random, n);
    // A back edge from an earlier task to a later one (or to itself through a neighbour) closes a loop.
    int from = random.nextInt(n);
    int to = from + random.nextInt(n - from);
    if (to == from) {
      // A self-dependency is its own problem, so close the loop through a new task instead.
      parents = Arrays.copyOf(parents, n + 1);
      parents[n] = new int[] {from};
      to = n;
      n++;
    }
    int[] closing = Arrays.copyOf(parents[from], parents[from].length + 1);
    closing[closing.length - 1] = to;
    parents[from] = closing;
    // The back edge only makes a cycle when `to` reaches `from`; force it with a chain of edges if needed.
    if (!reaches(parents, to, from)) {
      int[] extra = Arrays.copyOf(parents[to], parents[to].length + 1);
      extra[extra.length - 1] = from;
      parents[to] = extra;
    }
    int[][] graph = parents;

    InvalidWorkflowException e = catchThrowableOfType(InvalidWorkflowException.class,
        () -> builder(graph, shuffled(random, graph.length)).build());

    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSize(1);
    String problem = e.problems().get(0);
    assertThat(problem).startsWith("dependsOn forms a cycle: ").endsWith("remove one of these dependencies");
    String path = problem.substring("dependsOn forms a cycle: ".length(), problem.indexOf(" (each task"));
    List<String> ids = List.of(path.split(" -> "));
    assertThat(ids.size()).isGreaterThanOrEqualTo(3);
    assertThat(ids.get(0)).isEqualTo(ids.get(ids.size() - 1));
    assertThat(new HashSet<>(ids.subList(0, ids.size() - 1))).hasSize(ids.size() - 1);
    for (int k = 0; k + 1 < ids.size(); k++) {
      int a = Integer.parseInt(ids.get(k).substring(1));
      int b = Integer.parseInt(ids.get(k + 1).substring(1));
      assertThat(graph[b]).as("%s runs before %s: %s depends on it", ids.get(k), ids.get(k + 1), ids.get(k + 1))
          .contains(a);
    }
  }

  private static boolean reaches(int[][] parents, int from, int target) {
    // Following dependencies from `from`, is `target` met?
    boolean[] seen = new boolean[parents.length];
    List<Integer> todo = new ArrayList<>(List.of(from));
    while (!todo.isEmpty()) {
      int v = todo.remove(todo.size() - 1);
      if (v == target) {
        return true;
      }
      if (!seen[v]) {
        seen[v] = true;
        for (int p : parents[v]) {
          todo.add(p);
        }
      }
    }
    return false;
  }

  /** The documented rules of ids and task types, written here apart from the code that checks them. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_\\-]{1,100}");
  private static final Pattern TASK_TYPE = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("aZ09_- .\t").ofMinLength(0).ofMaxLength(6),
        Arbitraries.strings().withChars("az").ofMinLength(60).ofMaxLength(110),
        Arbitraries.strings().withChars("a ").ofMinLength(495).ofMaxLength(505));
  }

  /**
   * Each setter accepts exactly the values its documented rule allows and keeps them (names in lower case); it refuses
   * the others at once, naming the task, the field and the value, and keeps nothing of them.
   */
  @Property
  void eachSetterAcceptsExactlyWhatItsRuleAllows(
      @ForAll("text") String id, @ForAll("text") String title, @ForAll("text") String instructions,
      @ForAll("text") String provider, @ForAll("text") String taskType, @ForAll("text") String dependency,
      @ForAll @IntRange(min = -3, max = 3) int tokens) {
    if (!ID.matcher(id).matches()) {
      assertThat(catchThrowable(() -> TaskSpec.builder(id))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("task id must ").hasMessageContaining(" (was ");
      return;
    }
    TaskSpec.Builder b = TaskSpec.builder(id);
    String task = "task '" + id + "'";
    boolean titleOk = !title.isBlank() && title.length() <= 500;
    boolean instructionsOk = !instructions.isBlank();
    boolean providerOk = !provider.isBlank();
    boolean typeOk = TASK_TYPE.matcher(taskType).matches();
    boolean dependencyOk = !dependency.isBlank() && !dependency.equals(id);

    setter(() -> b.title(title), titleOk, task + ": title ");
    setter(() -> b.instructions(instructions), instructionsOk, task + ": instructions ");
    setter(() -> b.provider(provider), providerOk, task + ": provider name ");
    setter(() -> b.taskType(taskType), typeOk, task + ": taskType ");
    setter(() -> b.dependsOn(dependency), dependencyOk,
        dependency.equals(id) ? task + " cannot depend on itself" : task + ": dependsOn ");
    setter(() -> b.maxOutputTokens(tokens), tokens >= 1, task + ": maxOutputTokens ");
    TaskSpec t = b.build();

    assertThat(t.title()).isEqualTo(titleOk ? title : id);
    assertThat(t.instructions()).isEqualTo(instructionsOk ? instructions : t.title());
    assertThat(t.providers()).isEqualTo(providerOk ? List.of(provider.trim().toLowerCase(Locale.ROOT)) : List.of());
    assertThat(t.taskType()).isEqualTo(typeOk ? taskType.toLowerCase(Locale.ROOT) : TaskSpec.DEFAULT_TASK_TYPE);
    assertThat(t.dependsOn()).isEqualTo(dependencyOk ? List.of(dependency) : List.of());
    assertThat(t.maxOutputTokens()).isEqualTo(tokens >= 1 ? tokens : null);
    assertThat(t.toBuilder().build()).isEqualTo(t).hasSameHashCodeAs(t);
  }

  private static void setter(ThrowingCallable call, boolean allowed, String refusal) {
    Throwable thrown = catchThrowable(call);
    if (allowed) {
      assertThat(thrown).isNull();
    } else {
      assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(refusal);
      assertThat(thrown.getMessage()).as("names the value or the fix").containsAnyOf(" (was ", ": remove ");
    }
  }
}
