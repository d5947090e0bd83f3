package dev.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orchestrator.Priority;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of building a workflow: DAGs build in order, cycles are refused by path, every problem is listed. */
class WorkflowProperties {
  private static final Validator BEAN_VALIDATION = Validation.buildDefaultValidatorFactory().getValidator();

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

  /** One task with a random choice of broken rules; {@code broken} receives the names of the fields broken. */
  private static TaskSpec randomTask(Random random, int i, Set<String> broken) {
    String id = "t" + i;
    String title = "title";
    String instructions = "do it";
    List<String> providers = List.of("claude");
    String taskType = "general";
    List<String> dependsOn = List.of();
    Integer tokens = null;
    if (random.nextInt(4) == 0) {
      title = random.nextBoolean() ? " " : "x".repeat(501);
      broken.add("title");
    }
    if (random.nextInt(4) == 0) {
      instructions = "";
      broken.add("instructions");
    }
    if (random.nextInt(4) == 0) {
      providers = List.of("claude", " ");
      broken.add("providers[1]");
    }
    if (random.nextInt(4) == 0) {
      taskType = random.nextBoolean() ? "Code Review" : "\t";
      broken.add("taskType");
    }
    if (random.nextInt(4) == 0) {
      dependsOn = List.of(" ");
      broken.add("dependsOn[0]");
    }
    if (random.nextInt(4) == 0) {
      tokens = -random.nextInt(100);
      broken.add("maxOutputTokens");
    }
    if (random.nextInt(6) == 0) {
      id = random.nextBoolean() ? id + " x" : " " + "\t".repeat(i);
      broken.add("id");
    }
    return new TaskSpec(id, title, instructions, null, providers, taskType, Priority.MEDIUM, dependsOn, null, null,
        tokens, null, null, null, null);
  }

  @Property
  void validationListsEveryProblemOfEveryTaskNamingTheField(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 20) int n) {
    Random random = new Random(seed);
    Workflow.Builder b = Workflow.builder("w");
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      Set<String> broken = new TreeSet<>();
      TaskSpec t = randomTask(random, i, broken);
      b.task(t);
      broken.forEach(field -> expected.add("task '" + t.id() + "': " + field));
    }

    InvalidWorkflowException e = catchThrowableOfType(InvalidWorkflowException.class, b::build);

    if (expected.isEmpty()) {
      assertThat(e).isNull();
      return;
    }
    assertThat(e).isNotNull();
    Set<String> reported = new TreeSet<>();
    for (String p : e.problems()) {
      assertThat(p).contains(" (was ");
      reported.add(p.substring(0, p.indexOf(' ', p.indexOf("': ") + 3)));
    }
    assertThat(reported).isEqualTo(expected);
    assertThat(e.problems()).hasSize(expected.size());
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("aZ09_- .\t").ofMinLength(0).ofMaxLength(6),
        Arbitraries.strings().withChars("az").ofMinLength(60).ofMaxLength(110),
        Arbitraries.strings().withChars("a ").ofMinLength(495).ofMaxLength(505));
  }

  @Property
  void thePlainChecksAgreeWithTheBeanValidationDeclarations(
      @ForAll("text") String id, @ForAll("text") String title, @ForAll("text") String instructions,
      @ForAll("text") String provider, @ForAll("text") String taskType, @ForAll("text") String dependency,
      @ForAll @IntRange(min = -3, max = 3) int tokens) {
    TaskSpec t = new TaskSpec(id, title, instructions, null, List.of(provider), taskType, Priority.LOW,
        List.of(dependency), null, null, tokens, null, null, null, null);

    Set<String> declared = new TreeSet<>();
    for (ConstraintViolation<TaskSpec> v : BEAN_VALIDATION.validate(t)) {
      declared.add(field(v.getPropertyPath().toString()));
    }
    List<String> problems = new ArrayList<>();
    TaskRules.check(t, problems);
    Set<String> checked = new TreeSet<>();
    for (String p : problems) {
      String rest = p.substring(("task '" + id + "': ").length());
      checked.add(field(rest.substring(0, rest.indexOf(' '))));
    }

    assertThat(checked).isEqualTo(declared);
  }

  private static String field(String path) {
    int bracket = path.indexOf('[');
    return bracket < 0 ? path : path.substring(0, bracket);
  }
}
