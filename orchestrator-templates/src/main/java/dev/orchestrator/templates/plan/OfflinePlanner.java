package dev.orchestrator.templates.plan;

import java.util.List;
import java.util.Objects;

/**
 * Plans workflows with fixed rules, without calling any provider: for people without keys, and for tests. It reads
 * requests of the roadmap's shape and says plainly what it did not understand.
 *
 * <p>The rules, in the order applied:
 * <ul>
 *   <li>the request is cut into steps at {@code ,}, {@code ;}, sentence ends, and "then" / "and then" /
 *       "after that" / "finally"; the steps run one after another, each seeing the output of the one before;
 *   <li>"have X do Y" (also "let", "ask", "use", "get"), "X does Y" and "do Y with X" give step Y to provider X:
 *       an instance of that name, or for an alias the first configured instance of its type (ChatGPT, GPT, OpenAI:
 *       {@code openai}; Claude, Anthropic, Sonnet, Opus: {@code anthropic}; Gemini, Google: {@code gemini});
 *   <li>"have X draft it" right after a first step that writes something ("Write a blog post about ...") gives that
 *       step to X;
 *   <li>"review / edit / proofread / check ... for Z" is a review task of the step before it;
 *   <li>"publish to PATH" is a last task that prepares the document to publish there (a plan writes no files
 *       and runs no commands; the task carries {@code "x-publish": {"to": PATH}});
 *   <li>"target N words" (also "N words", "N-word") is the length of the writing task;
 *   <li>"every Monday at 9", "daily at 18:30", "every weekday" is a schedule suggestion on the first task;
 *   <li>a step that runs commands ("run ...", "execute ...", "delete ...") is refused unless it names a
 *       command-line agent the context allows;
 *   <li>anything else that starts with a known verb is a step on the default provider; what does not is listed as
 *       not understood and passed to the writing task as a note.
 * </ul>
 *
 * <p>The words of the request are data: they become task titles and instructions and never add fields, tasks or
 * providers beyond these rules; "{{" and "}}" in them are written "{ {" and "} }" so they
 * cannot become placeholders. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class OfflinePlanner implements WorkflowPlanner {
  /** The longest request accepted, in characters. */
  public static final int MAX_REQUEST_CHARS = 10_000;

  private static final OfflinePlanner INSTANCE = new OfflinePlanner();

  private OfflinePlanner() {}

  /** The planner (stateless). */
  public static OfflinePlanner create() {
    return INSTANCE;
  }

  @Override
  public String name() {
    return "offline";
  }

  @Override
  public WorkflowPlan plan(String request, PlanningContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    checkRequest(request);
    PlanNotes notes = new PlanNotes();
    String text = ClauseSplitter.tidy(request, notes);
    LengthReader.Length length = LengthReader.read(text, notes);
    ScheduleReader.Schedule schedule = ScheduleReader.read(length.rest(), notes);
    List<String> clauses = ClauseSplitter.split(schedule.rest());
    StepClassifier classifier = new StepClassifier(context, notes);
    StepClassifier.Steps steps = classifier.read(clauses);
    if (steps.steps().isEmpty()) {
      steps = classifier.oneStepForAll(steps, schedule.rest(), request);
    }
    String json = new TemplateWriter(context, notes, request, steps, length, schedule).write();
    return notes.addTo(WorkflowPlan.builder(name(), request, json)).build(context);
  }

  private static void checkRequest(String request) {
    if (request.isBlank()) {
      throw new IllegalArgumentException("request is blank: describe the work, such as \"Write a blog post about"
          + " tides, have ChatGPT draft it, then Claude review for tone\"");
    }
    if (request.length() > MAX_REQUEST_CHARS) {
      throw new IllegalArgumentException("request is " + request.length() + " characters long (at most "
          + MAX_REQUEST_CHARS + "): describe the steps briefly and put long material in a task's instructions"
          + " later");
    }
  }
}
