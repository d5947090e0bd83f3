package dev.orchestrator.workflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, validated graph of tasks. Tasks are kept in a topological order: every task comes after
 * all the tasks it depends on, and otherwise in the order they were added.
 *
 * <p>Positions in {@link #tasks()} name tasks without their ids: {@link #indexOf(String)} finds a task's position,
 * and {@link #dependencyCount(int)} with {@link #dependency(int, int)} give the positions of the tasks it depends
 * on, resolved once when the workflow was built, so an engine never looks ids up again:
 *
 * <pre>{@code
 * for (int i = 0; i < workflow.tasks().size(); i++) {
 *   for (int k = 0; k < workflow.dependencyCount(i); k++) {
 *     int parent = workflow.dependency(i, k); // always < i
 *   }
 * }
 * }</pre>
 *
 * <p>Building costs time and memory linear in the tasks and dependencies: each task checked its own fields when it
 * was built (in plain Java: no validator is needed), the order and the cycle check use Kahn's algorithm over
 * {@code int} arrays, and ids map to positions through an open-addressing table of {@code int}s.
 *
 * <p>Thread-safe. Build one with {@link #builder(String)}; {@link Builder#build()} rejects an invalid graph
 * with an {@link InvalidWorkflowException} listing every problem.
 *
 * @since 0.1
 */
public final class Workflow {
  private static final int[] NONE = new int[0];

  private final String name;
  private final String description;
  private final List<TaskSpec> tasks;
  private final IdTable index;
  /**
   * The dependencies as compressed rows: the positions of the tasks that the task at {@code i} depends on are
   * {@code dependencies[dependencyStart[i]]} up to {@code dependencies[dependencyStart[i + 1]]}, in the order of
   * its {@link TaskSpec#dependsOn()}.
   */
  private final int[] dependencyStart;
  private final int[] dependencies;
  private final Map<String, String> defaults;
  private final Set<String> parameters;
  private final UpstreamContext context;
  /**
   * Parsed once here, so every run of this workflow reuses them; null where a text has no placeholder, and the
   * whole array null when no task has one.
   */
  private final @Nullable PromptTemplate @Nullable [] titles;
  private final @Nullable PromptTemplate @Nullable [] prompts;

  private Workflow(String name, String description, List<TaskSpec> tasks, IdTable index, int[] dependencyStart,
      int[] dependencies, Map<String, String> defaults, Set<String> parameters, UpstreamContext context,
      @Nullable PromptTemplate @Nullable [] titles, @Nullable PromptTemplate @Nullable [] prompts) {
    this.name = name;
    this.description = description;
    this.tasks = tasks;
    this.index = index;
    this.dependencyStart = dependencyStart;
    this.dependencies = dependencies;
    this.defaults = defaults;
    this.parameters = parameters;
    this.context = context;
    this.titles = titles;
    this.prompts = prompts;
  }

  /** Starts a workflow with the given name. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The workflow's name. */
  public String name() {
    return name;
  }

  /** A description for people; empty when none was given. */
  public String description() {
    return description;
  }

  /** The tasks in topological order. */
  public List<TaskSpec> tasks() {
    return tasks;
  }

  /** The task with the given id, or null. */
  public @Nullable TaskSpec task(String id) {
    int i = indexOf(id);
    return i < 0 ? null : tasks.get(i);
  }

  /** The position of the task in {@link #tasks()}, or -1. */
  public int indexOf(String id) {
    return id == null ? -1 : index.find(id);
  }

  /**
   * How many tasks the task at {@code index} in {@link #tasks()} depends on: the size of its
   * {@link TaskSpec#dependsOn()}.
   *
   * @throws IndexOutOfBoundsException when there is no task at {@code index}
   */
  public int dependencyCount(int index) {
    Objects.checkIndex(index, tasks.size());
    return dependencyStart[index + 1] - dependencyStart[index];
  }

  /**
   * The position in {@link #tasks()} of the task named by {@code dependsOn().get(k)} of the task at {@code index};
   * always less than {@code index}. Resolved when the workflow was built: no lookup, no allocation.
   *
   * @throws IndexOutOfBoundsException when there is no such task or dependency
   */
  public int dependency(int index, int k) {
    Objects.checkIndex(k, dependencyCount(index));
    return dependencies[dependencyStart[index] + k];
  }

  /** The title of the task at {@code index} in {@link #tasks()}, parsed. */
  public PromptTemplate title(int index) {
    PromptTemplate t = titleIfTemplated(index);
    return t != null ? t : PromptTemplate.of(tasks.get(index).title());
  }

  /** The instructions of the task at {@code index} in {@link #tasks()}, parsed. */
  public PromptTemplate prompt(int index) {
    PromptTemplate p = promptIfTemplated(index);
    return p != null ? p : PromptTemplate.of(tasks.get(index).instructions());
  }

  /** The parsed instructions of the task at {@code index} when they have a placeholder, else null (use them as written). */
  public @Nullable PromptTemplate promptIfTemplated(int index) {
    Objects.checkIndex(index, tasks.size());
    return prompts == null ? null : prompts[index];
  }

  /** The parsed title of the task at {@code index} when it has a placeholder, else null (use it as written). */
  public @Nullable PromptTemplate titleIfTemplated(int index) {
    Objects.checkIndex(index, tasks.size());
    return titles == null ? null : titles[index];
  }

  /**
   * The context of the tasks that do not choose their own ({@link TaskSpec#context()} null):
   * {@link UpstreamContext#parents()} unless {@link Builder#context(UpstreamContext)} set another.
   */
  public UpstreamContext context() {
    return context;
  }

  /** The context of the task at {@code index} in {@link #tasks()}: its own, else the workflow's. */
  public UpstreamContext context(int index) {
    UpstreamContext c = tasks.get(index).context();
    return c != null ? c : context;
  }

  /** Default values of parameters; a value given at submission wins. */
  public Map<String, String> defaults() {
    return defaults;
  }

  /**
   * The names of every parameter a placeholder uses (titles, instructions, system prompts, expected outputs, review
   * criteria), sorted.
   */
  public Set<String> parameters() {
    return parameters;
  }

  /**
   * The parameters that have neither a default nor a value in {@code values}, sorted.
   *
   * @param values the values that would be given at submission
   */
  public List<String> missingParameters(Map<String, ?> values) {
    List<String> missing = new ArrayList<>();
    for (String p : parameters) {
      if (!values.containsKey(p) && !defaults.containsKey(p)) {
        missing.add(p);
      }
    }
    return missing;
  }

  @Override
  public String toString() {
    return "Workflow[" + name + ", " + tasks.size() + " tasks]";
  }

  /**
   * Builds a {@link Workflow}. Mutable and not thread-safe; {@link #build()} copies, so reusing a builder
   * never changes a workflow already built.
   */
  public static final class Builder {
    private final String name;
    private String description = "";
    private final List<TaskSpec> tasks = new ArrayList<>();
    private final IdTable ids = new IdTable(tasks, 0);
    private final Map<String, String> defaults = new java.util.LinkedHashMap<>();
    private UpstreamContext context = UpstreamContext.parents();

    Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "workflow name must not be blank (was " + TaskRules.describe(name) + "): name it after what it does");
      }
      this.name = name;
    }

    /** A description for people. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /**
     * The context of every task that does not choose its own with {@link TaskSpec.Builder#context(UpstreamContext)}:
     * {@link UpstreamContext#parents()} by default, {@link UpstreamContext#none()} for workflows whose tasks pass
     * work only through {@code {{tasks.<id>.output}}} placeholders.
     */
    public Builder context(UpstreamContext context) {
      this.context = Objects.requireNonNull(context, "context");
      return this;
    }

    /** A default value for a parameter. */
    public Builder defaultValue(String parameter, String value) {
      if (parameter == null || parameter.isBlank()) {
        throw new IllegalArgumentException("parameter name must not be blank");
      }
      defaults.put(parameter, Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Adds a task configured by {@code spec}.
     *
     * @throws IllegalArgumentException when the id is invalid or already used
     */
    public Builder task(String id, Consumer<TaskSpec.Builder> spec) {
      TaskSpec.Builder b = TaskSpec.builder(id);
      spec.accept(b);
      return task(b.build());
    }

    /**
     * Adds a task.
     *
     * @throws IllegalArgumentException when its id is already used
     */
    public Builder task(TaskSpec task) {
      Objects.requireNonNull(task, "task");
      if (ids.find(task.id()) >= 0) {
        throw new IllegalArgumentException("task id '" + task.id() + "' is used twice in workflow '" + name
            + "': give each task its own id");
      }
      tasks.add(task);
      ids.add(task.id(), tasks.size() - 1);
      return this;
    }

    /**
     * Validates the whole graph and builds the workflow, in time and memory linear in the tasks and their
     * dependencies.
     *
     * @throws InvalidWorkflowException listing every problem: an empty graph, a dependency on an unknown task, a
     *     cycle (with its path), or a {@code {{tasks.<id>.output}}} placeholder naming a task that is not upstream.
     *     Each task's own fields were checked when it was built: a {@link TaskSpec} that breaks a rule cannot exist.
     */
    public Workflow build() {
      int n = tasks.size();
      if (n == 0) {
        throw new InvalidWorkflowException(name, List.of("it has no tasks: add at least one with task(id, spec)"));
      }
      List<String> problems = new ArrayList<>();
      // Dependencies as compressed rows over the positions in insertion order.
      int edges = 0;
      for (int i = 0; i < n; i++) {
        edges += tasks.get(i).dependsOn().size();
      }
      int[] parentStart = new int[n + 1];
      int[] parents = new int[edges];
      @Nullable String known = null;
      for (int i = 0, e = 0; i < n; i++) {
        TaskSpec t = tasks.get(i);
        parentStart[i] = e;
        for (String dep : t.dependsOn()) {
          int p = ids.find(dep);
          parents[e++] = p;
          if (p < 0) {
            if (known == null) {
              known = knownIds();
            }
            problems.add("task '" + t.id() + "' depends on unknown task '" + dep
                + "': add a task with that id or fix the name (known: " + known + ")");
          }
        }
        parentStart[i + 1] = e;
      }
      if (!problems.isEmpty()) {
        throw new InvalidWorkflowException(name, problems);
      }
      int[] order = topologicalOrder(parentStart, parents, problems);
      if (!problems.isEmpty()) {
        throw new InvalidWorkflowException(name, problems);
      }

      int[] position = new int[n];
      for (int k = 0; k < n; k++) {
        position[order[k]] = k;
      }
      TaskSpec[] ordered = new TaskSpec[n];
      int[] dependencyStart = new int[n + 1];
      int[] dependencies = edges == 0 ? NONE : new int[edges];
      for (int k = 0, e = 0; k < n; k++) {
        int at = order[k];
        ordered[k] = tasks.get(at);
        dependencyStart[k] = e;
        for (int j = parentStart[at]; j < parentStart[at + 1]; j++) {
          dependencies[e++] = position[parents[j]];
        }
        dependencyStart[k + 1] = e;
      }
      order = null;
      parents = null;
      parentStart = null;

      Upstream upstream = new Upstream(dependencyStart, dependencies);
      Set<String> params = new TreeSet<>();
      PromptTemplate[] titles = null;
      PromptTemplate[] prompts = null;
      for (int k = 0; k < n; k++) {
        TaskSpec t = ordered[k];
        PromptTemplate title = PromptTemplate.of(t.title());
        PromptTemplate prompt = t.prompt();
        // Plain texts are not kept: a million-task workflow would hold a million templates of nothing.
        if (!title.placeholders().isEmpty()) {
          titles = titles != null ? titles : new PromptTemplate[n];
          titles[k] = title;
          params.addAll(title.parameters());
          checkTaskReferences(t, k, title, upstream, position, problems);
        }
        if (!prompt.placeholders().isEmpty()) {
          prompts = prompts != null ? prompts : new PromptTemplate[n];
          prompts[k] = prompt;
          params.addAll(prompt.parameters());
          checkTaskReferences(t, k, prompt, upstream, position, problems);
        }
        if (t.system() != null) {
          PromptTemplate system = PromptTemplate.of(t.system());
          params.addAll(system.parameters());
          checkTaskReferences(t, k, system, upstream, position, problems);
        }
        if (t.expectedOutput() != null && t.expectedOutput().kind() == ExpectedOutput.Kind.TEXT) {
          params.addAll(PromptTemplate.of(t.expectedOutput().content()).parameters());
        }
        if (t.review() != null) {
          params.addAll(PromptTemplate.of(t.review().criteria()).parameters());
        }
      }
      if (!problems.isEmpty()) {
        throw new InvalidWorkflowException(name, problems);
      }
      List<TaskSpec> list = List.of(ordered);
      return new Workflow(name, description, list, ids.reorder(list, position), dependencyStart, dependencies,
          Map.copyOf(defaults), Collections.unmodifiableSet(params), context, titles, prompts);
    }

    private String knownIds() {
      TreeSet<String> sorted = new TreeSet<>();
      for (TaskSpec t : tasks) {
        sorted.add(t.id());
      }
      return sorted.toString();
    }

    private void checkTaskReferences(TaskSpec task, int at, PromptTemplate template, Upstream upstream,
        int[] position, List<String> problems) {
      for (String ref : template.taskReferences()) {
        int r = ids.find(ref);
        if (r < 0) {
          problems.add("task '" + task.id() + "' uses {{tasks." + ref + ".output}} but there is no task '" + ref
              + "': fix the name");
        } else if (!upstream.contains(at, position[r])) {
          problems.add("task '" + task.id() + "' uses {{tasks." + ref + ".output}} but does not depend on '" + ref
              + "': add dependsOn(\"" + ref + "\") so its output exists first");
        }
      }
    }

    /**
     * Kahn's algorithm over positions in insertion order, stable in that order: a FIFO of ready tasks keeps the
     * order close to insertion order, layer by layer. On a cycle, adds one cycle's path to {@code problems}.
     */
    private int[] topologicalOrder(int[] parentStart, int[] parents, List<String> problems) {
      int n = parentStart.length - 1;
      int[] pending = new int[n];
      int[] childStart = new int[n + 1];
      for (int i = 0; i < n; i++) {
        pending[i] = parentStart[i + 1] - parentStart[i];
      }
      for (int p : parents) {
        childStart[p + 1]++;
      }
      for (int i = 0; i < n; i++) {
        childStart[i + 1] += childStart[i];
      }
      // Filled in insertion order of the children, as the dependents were listed before.
      int[] children = new int[parents.length];
      int[] fill = new int[n];
      for (int i = 0; i < n; i++) {
        for (int j = parentStart[i]; j < parentStart[i + 1]; j++) {
          int p = parents[j];
          children[childStart[p] + fill[p]++] = i;
        }
      }
      fill = null;
      int[] order = new int[n];
      int tail = 0;
      for (int i = 0; i < n; i++) {
        if (pending[i] == 0) {
          order[tail++] = i;
        }
      }
      for (int head = 0; head < tail; head++) {
        int v = order[head];
        for (int j = childStart[v]; j < childStart[v + 1]; j++) {
          if (--pending[children[j]] == 0) {
            order[tail++] = children[j];
          }
        }
      }
      if (tail < n) {
        problems.add("dependsOn forms a cycle: " + String.join(" -> ", findCycle(pending, parentStart, parents))
            + " (each task would have to run before the next, so none of them can start):"
            + " remove one of these dependencies");
      }
      return order;
    }

    /** A cycle's path in run order, as pipelines are written ({@code research -> draft -> research}). */
    private List<String> findCycle(int[] pending, int[] parentStart, int[] parents) {
      // Every task still pending waits for another pending task, so following dependencies must loop.
      int start = 0;
      while (pending[start] == 0) {
        start++;
      }
      // step[i] is 1 + the step at which the walk reached task i, or 0 when it has not.
      int[] step = new int[pending.length];
      List<Integer> path = new ArrayList<>();
      int current = start;
      while (step[current] == 0) {
        step[current] = path.size() + 1;
        path.add(current);
        int next = -1;
        for (int j = parentStart[current]; j < parentStart[current + 1]; j++) {
          if (pending[parents[j]] > 0) {
            next = parents[j];
            break;
          }
        }
        current = next;
      }
      // The walk went from each task to one it waits for, against the run order: write it backwards.
      List<String> cycle = new ArrayList<>();
      cycle.add(tasks.get(current).id());
      for (int s = path.size() - 1; s >= step[current] - 1; s--) {
        cycle.add(tasks.get(path.get(s)).id());
      }
      return cycle;
    }
  }

  /**
   * Answers "is task {@code a} upstream of task {@code b}?" over positions in topological order. A direct
   * dependency is found at once; otherwise a walk up from {@code b} skips every task placed before {@code a}, as
   * none of them can lead to it. The marks are reused between questions.
   */
  private static final class Upstream {
    private final int[] start;
    private final int[] dependencies;
    private int @Nullable [] mark;
    private int @Nullable [] stack;
    private int round;

    Upstream(int[] start, int[] dependencies) {
      this.start = start;
      this.dependencies = dependencies;
    }

    boolean contains(int task, int candidate) {
      for (int j = start[task]; j < start[task + 1]; j++) {
        if (dependencies[j] == candidate) {
          return true;
        }
      }
      if (candidate >= task) {
        return false;
      }
      int n = start.length - 1;
      int[] m = mark != null ? mark : (mark = new int[n]);
      int[] s = stack != null ? stack : (stack = new int[n]);
      int r = ++round;
      int top = 0;
      s[top++] = task;
      m[task] = r;
      while (top > 0) {
        int v = s[--top];
        for (int j = start[v]; j < start[v + 1]; j++) {
          int p = dependencies[j];
          if (p == candidate) {
            return true;
          }
          if (p > candidate && m[p] != r) {
            m[p] = r;
            s[top++] = p;
          }
        }
      }
      return false;
    }
  }
}
