package dev.orchestrator.workflow;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.ValidationException;
import jakarta.validation.Validator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * <p>Thread-safe. Build one with {@link #builder(String)}; {@link Builder#build()} rejects an invalid graph
 * with an {@link InvalidWorkflowException} listing every problem.
 */
public final class Workflow {
  private final String name;
  private final String description;
  private final List<TaskSpec> tasks;
  private final Map<String, Integer> index;
  private final Map<String, String> defaults;
  private final Set<String> parameters;
  /** Parsed once here, so every run of this workflow reuses them; null where a text has no placeholder. */
  private final @Nullable PromptTemplate[] titles;
  private final @Nullable PromptTemplate[] prompts;

  private Workflow(String name, String description, List<TaskSpec> tasks, Map<String, String> defaults,
      Set<String> parameters, @Nullable PromptTemplate[] titles, @Nullable PromptTemplate[] prompts) {
    this.titles = titles;
    this.prompts = prompts;
    this.name = name;
    this.description = description;
    this.tasks = tasks;
    this.defaults = defaults;
    this.parameters = parameters;
    Map<String, Integer> idx = new HashMap<>(tasks.size() * 2);
    for (int i = 0; i < tasks.size(); i++) {
      idx.put(tasks.get(i).id(), i);
    }
    this.index = idx;
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

  /** The task with the given id. */
  public @Nullable TaskSpec task(String id) {
    Integer i = index.get(id);
    return i == null ? null : tasks.get(i);
  }

  /** The position of the task in {@link #tasks()}, or -1. */
  public int indexOf(String id) {
    Integer i = index.get(id);
    return i == null ? -1 : i;
  }

  /** The title of the task at {@code index} in {@link #tasks()}, parsed. */
  public PromptTemplate title(int index) {
    PromptTemplate t = titles[index];
    return t != null ? t : PromptTemplate.of(tasks.get(index).title());
  }

  /** The instructions of the task at {@code index} in {@link #tasks()}, parsed. */
  public PromptTemplate prompt(int index) {
    PromptTemplate p = prompts[index];
    return p != null ? p : PromptTemplate.of(tasks.get(index).instructions());
  }

  /** The parsed instructions of the task at {@code index} when they have a placeholder, else null (use them as written). */
  public @Nullable PromptTemplate promptIfTemplated(int index) {
    return prompts[index];
  }

  /** The parsed title of the task at {@code index} when it has a placeholder, else null (use it as written). */
  public @Nullable PromptTemplate titleIfTemplated(int index) {
    return titles[index];
  }

  /** Default values of parameters; a value given at submission wins. */
  public Map<String, String> defaults() {
    return defaults;
  }

  /** The names of every parameter a placeholder uses (titles, instructions, system prompts, expected outputs), sorted. */
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
    private final LinkedHashMap<String, TaskSpec> tasks = new LinkedHashMap<>();
    private final Map<String, String> defaults = new LinkedHashMap<>();

    Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "workflow name must not be blank (was " + TaskSpec.quote(name) + "): name it after what it does");
      }
      this.name = name;
    }

    /** A description for people. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
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
      if (tasks.containsKey(task.id())) {
        throw new IllegalArgumentException("task id '" + task.id() + "' is used twice in workflow '" + name
            + "': give each task its own id");
      }
      tasks.put(task.id(), task);
      return this;
    }

    /**
     * Validates the whole graph and builds the workflow.
     *
     * @throws InvalidWorkflowException listing every problem: an empty graph, a constraint broken by a task,
     *     a dependency on an unknown task or on itself, a cycle (with its path), or a
     *     {@code {{tasks.<id>.output}}} placeholder naming a task that is not upstream
     */
    public Workflow build() {
      List<String> problems = new ArrayList<>();
      if (tasks.isEmpty()) {
        throw new InvalidWorkflowException(name, List.of("it has no tasks: add at least one with task(id, spec)"));
      }
      Validator validator = BeanValidation.VALIDATOR;
      for (TaskSpec t : tasks.values()) {
        if (validator != null) {
          for (ConstraintViolation<TaskSpec> v : validator.validate(t)) {
            problems.add("task '" + t.id() + "': " + v.getPropertyPath() + " " + v.getMessage()
                + " (was " + describe(v.getInvalidValue()) + ")");
          }
        }
        for (String dep : t.dependsOn()) {
          if (dep.equals(t.id())) {
            problems.add("task '" + t.id() + "' depends on itself: remove '" + dep + "' from its dependsOn");
          } else if (!tasks.containsKey(dep)) {
            problems.add("task '" + t.id() + "' depends on unknown task '" + dep
                + "': add a task with that id or fix the name (known: " + new TreeSet<>(tasks.keySet()) + ")");
          }
        }
      }
      if (!problems.isEmpty()) {
        throw new InvalidWorkflowException(name, problems);
      }
      List<TaskSpec> order = topologicalOrder(problems);
      if (!problems.isEmpty()) {
        throw new InvalidWorkflowException(name, problems);
      }
      Set<String> params = new TreeSet<>();
      PromptTemplate[] titles = new PromptTemplate[order.size()];
      PromptTemplate[] prompts = new PromptTemplate[order.size()];
      int position = 0;
      for (TaskSpec t : order) {
        PromptTemplate title = PromptTemplate.of(t.title());
        PromptTemplate prompt = t.prompt();
        // Plain texts are not kept: a million-task workflow would hold a million templates of nothing.
        titles[position] = title.placeholders().isEmpty() ? null : title;
        prompts[position++] = prompt.placeholders().isEmpty() ? null : prompt;
        params.addAll(title.parameters());
        params.addAll(prompt.parameters());
        if (t.system() != null) {
          PromptTemplate system = PromptTemplate.of(t.system());
          params.addAll(system.parameters());
          checkTaskReferences(t, system, problems);
        }
        if (t.expectedOutput() != null && t.expectedOutput().kind() == ExpectedOutput.Kind.TEXT) {
          params.addAll(PromptTemplate.of(t.expectedOutput().content()).parameters());
        }
        checkTaskReferences(t, title, problems);
        checkTaskReferences(t, prompt, problems);
      }
      if (!problems.isEmpty()) {
        throw new InvalidWorkflowException(name, problems);
      }
      return new Workflow(name, description, List.copyOf(order), Map.copyOf(defaults),
          Collections.unmodifiableSet(params), titles, prompts);
    }

    private void checkTaskReferences(TaskSpec task, PromptTemplate template, List<String> problems) {
      List<String> refs = template.taskReferences();
      if (refs.isEmpty()) {
        return;
      }
      Set<String> upstream = upstreamOf(task);
      for (String ref : refs) {
        if (!tasks.containsKey(ref)) {
          problems.add("task '" + task.id() + "' uses {{tasks." + ref + ".output}} but there is no task '" + ref
              + "': fix the name");
        } else if (!upstream.contains(ref)) {
          problems.add("task '" + task.id() + "' uses {{tasks." + ref + ".output}} but does not depend on '" + ref
              + "': add dependsOn(\"" + ref + "\") so its output exists first");
        }
      }
    }

    private Set<String> upstreamOf(TaskSpec task) {
      Set<String> seen = new HashSet<>();
      ArrayDeque<String> todo = new ArrayDeque<>(task.dependsOn());
      while (!todo.isEmpty()) {
        String id = todo.pop();
        if (seen.add(id)) {
          todo.addAll(tasks.get(id).dependsOn());
        }
      }
      return seen;
    }

    /** Kahn's algorithm, stable in insertion order; on a cycle, reports one cycle's path. */
    private List<TaskSpec> topologicalOrder(List<String> problems) {
      Map<String, Integer> pending = new HashMap<>(tasks.size() * 2);
      Map<String, List<String>> dependents = new HashMap<>(tasks.size() * 2);
      for (TaskSpec t : tasks.values()) {
        pending.put(t.id(), t.dependsOn().size());
        for (String dep : t.dependsOn()) {
          dependents.computeIfAbsent(dep, k -> new ArrayList<>(2)).add(t.id());
        }
      }
      // A FIFO of ready ids keeps the order close to insertion order, layer by layer.
      ArrayDeque<String> ready = new ArrayDeque<>();
      for (TaskSpec t : tasks.values()) {
        if (t.dependsOn().isEmpty()) {
          ready.add(t.id());
        }
      }
      List<TaskSpec> order = new ArrayList<>(tasks.size());
      while (!ready.isEmpty()) {
        String id = ready.poll();
        order.add(tasks.get(id));
        for (String d : dependents.getOrDefault(id, List.of())) {
          if (pending.merge(d, -1, Integer::sum) == 0) {
            ready.add(d);
          }
        }
      }
      if (order.size() < tasks.size()) {
        problems.add("dependsOn forms a cycle: " + String.join(" -> ", findCycle(pending))
            + " (each task waits for the next): remove one of these dependencies");
      }
      return order;
    }

    private List<String> findCycle(Map<String, Integer> pending) {
      // Every task still pending waits for another pending task, so following dependencies must loop.
      String start = null;
      for (String id : tasks.keySet()) {
        if (pending.get(id) > 0) {
          start = id;
          break;
        }
      }
      LinkedHashSet<String> path = new LinkedHashSet<>();
      String current = start;
      while (current != null && path.add(current)) {
        String next = null;
        for (String dep : tasks.get(current).dependsOn()) {
          if (pending.get(dep) > 0) {
            next = dep;
            break;
          }
        }
        current = next;
      }
      List<String> cycle = new ArrayList<>();
      boolean in = false;
      for (String id : path) {
        in |= id.equals(current);
        if (in) {
          cycle.add(id);
        }
      }
      cycle.add(current);
      return cycle;
    }

    private static String describe(@Nullable Object value) {
      if (value == null) {
        return "null";
      }
      String s = String.valueOf(value);
      return "'" + ExpectedOutput.abbreviate(s) + "'";
    }
  }

  /** Bean Validation, when an implementation is on the class path; the graph checks run either way. */
  private static final class BeanValidation {
    static final @Nullable Validator VALIDATOR = create();

    private static @Nullable Validator create() {
      try {
        return Validation.buildDefaultValidatorFactory().getValidator();
      } catch (ValidationException | NoClassDefFoundError e) {
        return null;
      }
    }
  }
}
