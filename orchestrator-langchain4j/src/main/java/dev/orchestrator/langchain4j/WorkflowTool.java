package dev.orchestrator.langchain4j;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.langchain4j.internal.RunOutputs;
import dev.orchestrator.langchain4j.internal.ToolSchemas;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.templates.BoundTemplate;
import dev.orchestrator.templates.InvalidParameterException;
import dev.orchestrator.templates.Template;
import dev.orchestrator.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workflow (or a template) offered to a LangChain4j agent as a tool. When the model calls the tool, its arguments
 * become the run's parameters, the run is submitted to the engine, and the tool waits for the run to finish (up to
 * its {@link Builder#timeout}) and answers with the run's final outputs: the outputs of the tasks no other task
 * depends on, or of the tasks named with {@link Builder#outputs}. When the run does not succeed, or the arguments are
 * wrong, the answer says why in words the model can act on, and is marked as an error.
 *
 * <pre>{@code
 * WorkflowTool blog = WorkflowTool.builder(orchestrator, "blog", workflow)
 *     .name("write_blog_post").description("Writes a blog post about a topic and returns it.")
 *     .timeout(Duration.ofMinutes(5))
 *     .build();
 * Assistant assistant = AiServices.builder(Assistant.class)
 *     .chatModel(model)
 *     .tools(blog.asMap())
 *     .build();
 * }</pre>
 *
 * <p>The tool's JSON schema has one property per parameter: for a workflow, every {@code {{placeholder}}} its prompts
 * use, as text, required unless the workflow has a default; for a template, every declared parameter with its type,
 * description, allowed values and whether it is required.
 *
 * <p>The wait holds the agent's thread (LangChain4j's tools are synchronous) but never sleeps: it waits on the run's
 * {@link Run#completion() completion future}. A run still going when the timeout passes is cancelled (unless
 * {@link Builder#cancelOnTimeout} is off), and the tool says so. Immutable and thread-safe: an agent may call it many
 * times at once, each call a run of its own.
 *
 * @since 0.1
 */
public final class WorkflowTool implements ToolExecutor {
  private static final Logger log = LoggerFactory.getLogger(WorkflowTool.class);
  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final Orchestrator orchestrator;
  private final String project;
  private final @Nullable Workflow workflow;
  private final @Nullable Template template;
  private final ToolSpecification specification;
  private final Duration timeout;
  private final boolean cancelOnTimeout;
  private final List<String> outputs;

  private WorkflowTool(Builder b, ToolSpecification specification) {
    this.orchestrator = b.orchestrator;
    this.project = b.project;
    this.workflow = b.workflow;
    this.template = b.template;
    this.specification = specification;
    this.timeout = b.timeout;
    this.cancelOnTimeout = b.cancelOnTimeout;
    this.outputs = List.copyOf(b.outputs);
  }

  /**
   * Starts a tool that runs {@code workflow} in {@code project}.
   *
   * @throws IllegalArgumentException when the project is blank
   */
  public static Builder builder(Orchestrator orchestrator, String project, Workflow workflow) {
    Objects.requireNonNull(workflow, "workflow");
    return new Builder(orchestrator, project, workflow, null, workflow.name(), workflow.description());
  }

  /**
   * Starts a tool that fills {@code template} with the tool's arguments and runs the workflow it makes in
   * {@code project}. The arguments are checked against the template's parameters first; a wrong one is answered
   * with the template's own message, naming the parameter, its value and what it expects.
   *
   * @throws IllegalArgumentException when the project is blank
   */
  public static Builder builder(Orchestrator orchestrator, String project, Template template) {
    Objects.requireNonNull(template, "template");
    return new Builder(orchestrator, project, null, template, template.id(), template.description());
  }

  /** What the model is told about the tool: its name, description and arguments' JSON schema. */
  public ToolSpecification specification() {
    return specification;
  }

  /** The tool name the model calls. */
  public String name() {
    return specification.name();
  }

  /** This tool as {@code AiServices.builder(...).tools(Map)} takes it. */
  public Map<ToolSpecification, ToolExecutor> asMap() {
    return Map.of(specification, this);
  }

  /** Runs the workflow with the request's arguments and answers with its outputs, or why it has none. */
  @Override
  public String execute(ToolExecutionRequest request, @Nullable Object memoryId) {
    return call(request.arguments()).text();
  }

  /** As {@link #execute}, marking the answer as an error when the run did not succeed. */
  @Override
  public ToolExecutionResult executeWithContext(ToolExecutionRequest request, @Nullable InvocationContext context) {
    Answer answer = call(request.arguments());
    return ToolExecutionResult.builder().isError(!answer.succeeded()).resultText(answer.text()).build();
  }

  /** One call's answer: the text for the model, whether the run succeeded, and which run it was (null if none). */
  record Answer(boolean succeeded, String text, @Nullable String runId) {}

  /** Runs the workflow with arguments given as a JSON object (blank for none). */
  Answer call(@Nullable String arguments) {
    Map<String, Object> args;
    try {
      args = parse(arguments);
    } catch (IllegalArgumentException e) {
      return failed(e.getMessage());
    }
    Submitted submitted;
    try {
      submitted = submit(args);
    } catch (InvalidParameterException e) {
      return failed("The arguments do not fit the tool '" + name() + "': " + e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException | dev.orchestrator.OrchestratorException e) {
      return failed("The workflow '" + name() + "' could not be started: " + e.getMessage());
    }
    if (submitted == null) {
      return failed(missingOrUnknown(args));
    }
    Run run = submitted.run();
    log.debug("Workflow tool submitted a run (tool={}, project={}, run={})", name(), project, run.id());
    RunSnapshot done;
    try {
      done = run.completion().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (cancelOnTimeout) {
        run.cancel("workflow tool '" + name() + "'", "no result within " + timeout);
      }
      return new Answer(false, "The workflow '" + name() + "' did not finish within " + timeout + " (run "
          + run.id() + (cancelOnTimeout ? "); it was cancelled." : "); it goes on running."), run.id());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(false, "The wait for the workflow '" + name() + "' was interrupted (run " + run.id()
          + "); the run goes on.", run.id());
    } catch (ExecutionException e) {
      return new Answer(false, "The workflow '" + name() + "' failed (run " + run.id() + "): "
          + e.getCause(), run.id());
    }
    if (!RunOutputs.succeeded(done)) {
      return new Answer(false, RunOutputs.failure(name(), done), run.id());
    }
    List<String> tasks = !outputs.isEmpty() ? outputs : RunOutputs.finalTasks(submitted.workflow());
    return new Answer(true, RunOutputs.outputs(done, tasks), run.id());
  }

  /** A submitted run and the workflow it runs. */
  private record Submitted(Run run, Workflow workflow) {}

  /** The run, or null when a workflow parameter is missing or unknown. */
  private @Nullable Submitted submit(Map<String, Object> args) {
    if (template != null) {
      // the template's values become the workflow's defaults: submitted without parameters, as its docs say
      BoundTemplate bound = template.bind(args);
      return new Submitted(orchestrator.submit(project, bound.workflow()), bound.workflow());
    }
    Workflow w = Objects.requireNonNull(workflow);
    if (!w.parameters().containsAll(args.keySet()) || !w.missingParameters(args).isEmpty()) {
      return null;
    }
    return new Submitted(orchestrator.submit(project, w, args), w);
  }

  private String missingOrUnknown(Map<String, Object> args) {
    Workflow w = Objects.requireNonNull(workflow);
    List<String> problems = new ArrayList<>();
    for (String name : new TreeSet<>(args.keySet())) {
      if (!w.parameters().contains(name)) {
        problems.add("'" + name + "' is not a parameter");
      }
    }
    for (String name : w.missingParameters(args)) {
      problems.add("'" + name + "' is missing");
    }
    return "The arguments do not fit the tool '" + name() + "': " + String.join(", ", problems)
        + ". Its parameters are " + new TreeSet<>(w.parameters()) + ".";
  }

  private static Answer failed(String text) {
    return new Answer(false, text, null);
  }

  private Map<String, Object> parse(@Nullable String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return Map.of();
    }
    JsonNode json;
    try {
      json = JSON.readTree(arguments);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("The arguments of the tool '" + name() + "' are not JSON: give an object"
          + " such as {\"topic\": \"tides\"}.");
    }
    if (json == null || json.isNull()) {
      return Map.of();
    }
    if (!json.isObject()) {
      throw new IllegalArgumentException("The arguments of the tool '" + name() + "' must be a JSON object (was "
          + json.getNodeType().name().toLowerCase(Locale.ROOT) + ").");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      if (!e.getValue().isNull()) {
        out.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
      }
    }
    return out;
  }

  /**
   * Builds a {@link WorkflowTool}. Each setter checks its value at once (a null where a value is required throws
   * {@link NullPointerException} naming the setting, a bad value {@link IllegalArgumentException} naming the setting
   * and the value). Mutable and not thread-safe; reusing a builder never changes a tool already built.
   */
  public static final class Builder {
    private final Orchestrator orchestrator;
    private final String project;
    private final @Nullable Workflow workflow;
    private final @Nullable Template template;
    private String name;
    private String description;
    private Duration timeout = Duration.ofMinutes(10);
    private boolean cancelOnTimeout = true;
    private List<String> outputs = List.of();

    private Builder(Orchestrator orchestrator, String project, @Nullable Workflow workflow,
        @Nullable Template template, String source, String description) {
      this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
      Objects.requireNonNull(project, "project");
      if (project.isBlank()) {
        throw new IllegalArgumentException("project must not be blank: give the project the runs belong to");
      }
      this.project = project;
      this.workflow = workflow;
      this.template = template;
      this.name = toolName(source);
      this.description = description.isBlank()
          ? "Runs the workflow '" + source + "' and answers with its final output." : description;
    }

    private static String toolName(String source) {
      String n = source.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "_")
          .replaceAll("^_+|_+$", "");
      n = n.isEmpty() ? "workflow" : n;
      return n.length() > 64 ? n.substring(0, 64) : n;
    }

    /**
     * The name the model calls the tool by; by default the workflow's name (or the template's id) in lower case with
     * {@code _} for other characters.
     *
     * @throws IllegalArgumentException when the name is not 1 to 64 letters, digits, {@code _} or {@code -}
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (!TOOL_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '_' or '-', as models accept"
            + " tool names (was '" + name + "'): such as '" + toolName(name) + "'");
      }
      this.name = name;
      return this;
    }

    /**
     * What the tool does, for the model to decide when to call it; by default the workflow's (or template's)
     * description.
     *
     * @throws IllegalArgumentException when the description is blank
     */
    public Builder description(String description) {
      Objects.requireNonNull(description, "description");
      if (description.isBlank()) {
        throw new IllegalArgumentException("description must not be blank: say what the workflow does and returns");
      }
      this.description = description;
      return this;
    }

    /**
     * How long one call waits for its run; 10 minutes by default.
     *
     * @throws IllegalArgumentException when the duration is zero or negative
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive (was " + timeout
            + "): give how long a call waits for its run, such as Duration.ofMinutes(5)");
      }
      this.timeout = timeout;
      return this;
    }

    /** Whether a run still going when the timeout passes is cancelled; true by default. */
    public Builder cancelOnTimeout(boolean cancel) {
      this.cancelOnTimeout = cancel;
      return this;
    }

    /**
     * The tasks whose outputs the tool answers with, in this order; by default the tasks no other task depends on.
     *
     * @throws IllegalArgumentException when the workflow (or template) has no such task
     */
    public Builder outputs(String... taskIds) {
      List<String> ids = List.of(taskIds);
      Set<String> known = new TreeSet<>();
      if (workflow != null) {
        workflow.tasks().forEach(t -> known.add(t.id()));
      } else if (template != null) {
        template.tasks().forEach(t -> known.add(t.id()));
      }
      for (String id : ids) {
        if (!known.contains(id)) {
          throw new IllegalArgumentException("outputs names no task '" + id + "': the tasks are " + known);
        }
      }
      this.outputs = ids;
      return this;
    }

    /** The tool. */
    public WorkflowTool build() {
      JsonObjectSchema parameters = workflow != null ? ToolSchemas.of(workflow)
          : ToolSchemas.of(Objects.requireNonNull(template).parameters());
      ToolSpecification spec = ToolSpecification.builder().name(name).description(description)
          .parameters(parameters).build();
      return new WorkflowTool(this, spec);
    }
  }
}
