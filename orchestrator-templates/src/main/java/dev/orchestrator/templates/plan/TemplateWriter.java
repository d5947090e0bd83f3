package dev.orchestrator.templates.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.templates.internal.Json;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Writes the steps of a request as template JSON: one task per step, each depending on the one before; titles and
 * instructions by kind (writing, review, publishing, generic); the length on the writing task, the schedule on the
 * first; and the assumptions and gaps that come with them (default providers, aliases, what was not understood).
 * One per {@link OfflinePlanner#plan} call; not thread-safe.
 */
final class TemplateWriter {
  private static final int F = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final Pattern FOCUS = Pattern.compile("^for\\s+(.+)$", F);

  private final PlanningContext context;
  private final PlanNotes notes;
  private final String request;
  private final List<PlanStep> steps;
  private final @Nullable String subject;
  private final List<String> unknown;
  private final LengthReader.Length length;
  private final @Nullable Integer words;
  private final ScheduleReader.Schedule schedule;
  /** What the request is about: its subject, else the first step when it writes something named; or null. */
  private final @Nullable String goal;
  /** The first writing task's index, or -1. */
  private final int writing;
  /** The index of the task that gets the length, or -1 when the request gives none. */
  private final int wordsTask;
  /** The index of the task that gets the clauses no rule reads. */
  private final int notesTask;

  TemplateWriter(PlanningContext context, PlanNotes notes, String request, StepClassifier.Steps read,
      LengthReader.Length length, ScheduleReader.Schedule schedule) {
    this.context = context;
    this.notes = notes;
    this.request = request;
    this.steps = read.steps();
    this.subject = read.subject();
    this.unknown = read.unknown();
    this.length = length;
    this.words = length.words();
    this.schedule = schedule;
    PlanStep first = steps.get(0);
    this.goal = subject != null ? subject : first.kind == PlanStep.Kind.WRITE && !first.pronoun ? first.clause : null;
    this.writing = firstWritingTask();
    this.wordsTask = words == null ? -1 : writing >= 0 ? writing : 0;
    this.notesTask = writing >= 0 ? writing : 0;
  }

  /** The template, pretty-printed; what was assumed or not understood on the way goes to the notes. */
  String write() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    // The name is the goal, else the first task's title (set below, in the same place).
    root.put("name", goal != null ? cut(capitalise(goal), 120) : "");
    root.put("description", cut("Planned from the request: " + request.strip().replaceAll("\\s+", " "), 1000));
    ArrayNode tasks = root.putArray("tasks");
    for (int i = 0; i < steps.size(); i++) {
      String title = task(i, tasks.addObject());
      if (i == 0 && goal == null) {
        root.put("name", cut(title, 120));
      }
    }
    noteUnknownClauses();
    noteOrderLengthAndSchedule();
    return json(root);
  }

  private int firstWritingTask() {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).kind == PlanStep.Kind.WRITE) {
        return i;
      }
    }
    return -1;
  }

  /** Fills {@code t} with task {@code i + 1} and returns its title before it is cut to 500 characters. */
  private String task(int i, ObjectNode t) {
    PlanStep s = steps.get(i);
    ObjectNode more = JsonNodeFactory.instance.objectNode();
    int id = i + 1;
    t.put("id", id);
    String provider = provider(s, id);
    PlanStep.Kind before = i == 0 ? null : steps.get(i - 1).kind;
    String previousName = before == null ? null : before == PlanStep.Kind.WRITE ? "the draft"
        : before == PlanStep.Kind.REVIEW ? "the revised text" : "the result";
    StringBuilder instructions = new StringBuilder();
    String title = switch (s.kind) {
      case WRITE -> writingTask(s, i, previousName, instructions, more);
      case REVIEW -> reviewTask(s, id, previousName, instructions, more);
      case PUBLISH -> publishingTask(s, id, previousName, instructions, more);
      default -> genericTask(s, i, previousName, instructions);
    };
    if (i == notesTask && !unknown.isEmpty()) {
      instructions.append(" Also from the request: ").append(String.join("; ", unknown)).append(".");
    }
    t.put("title", cut(title, 500));
    t.put("assigned_to", provider);
    if (i > 0) {
      t.putArray("depends_on").add(i);
    }
    t.put("instructions", instructions.toString().strip());
    t.setAll(more);
    if (words != null && s.kind != PlanStep.Kind.GENERIC) {
      t.put("max_output_tokens", words * 2 + 1000);
    }
    if (i == 0 && schedule.cron() != null) {
      t.put("schedule", schedule.cron());
      t.put("repeat", true);
    }
    return title;
  }

  /** The instance task {@code id} runs on, saying so when it is the default or an alias was read. */
  private String provider(PlanStep s, int id) {
    String provider = s.provider != null ? s.provider : context.defaultProvider();
    if (s.provider == null && s.providerWord == null) {
      notes.assumption("task " + id + " names no provider: it runs on " + provider + ", the default");
    } else if (s.provider == null) {
      notes.assumption("task " + id + " runs on " + provider + ", the default, instead");
    } else if (!s.providerWord.equalsIgnoreCase(s.provider)) {
      List<String> same = context.instancesOfType(Objects.requireNonNull(context.typeOf(s.provider)));
      notes.assumption("'" + s.providerWord + "' is " + s.provider + " (type " + context.typeOf(s.provider) + ")"
          + (same.size() > 1 ? ", the first of " + same : ""));
    }
    return provider;
  }

  private String writingTask(PlanStep s, int i, @Nullable String previousName, StringBuilder instructions,
      ObjectNode more) {
    int id = i + 1;
    String what = s.pronoun ? (goal != null && i == writing ? goal : null) : s.clause.equals(s.rest)
        ? s.clause : null;
    if (what == null && !s.pronoun) {
      what = capitalise(s.verb) + " " + s.rest;
    }
    if (what == null) {
      what = previousName != null ? capitalise(s.verb) + " " + previousName : capitalise(s.verb) + " it";
      if (previousName == null) {
        notes.notUnderstood("'" + s.clause + "': the request does not say what to " + s.verb
            + "; task " + id + " says only '" + what + "'");
      }
    }
    String title = s.verb.equalsIgnoreCase("draft") && (s.merged || s.pronoun) ? "Write the draft"
        : cut(capitalise(what), 200);
    instructions.append(sentence(capitalise(what)));
    if (i == wordsTask) {
      title += " (" + words + " words)";
      instructions.append(" Length: about ").append(words).append(" words.");
    }
    instructions.append(s.verb.equalsIgnoreCase("draft") ? " Write the complete draft, ready for review." : "");
    if (previousName != null) {
      instructions.append(" Work from ").append(previousName).append(" below.");
    }
    more.put("task_type", "writing");
    return title;
  }

  private String reviewTask(PlanStep s, int id, @Nullable String previousName, StringBuilder instructions,
      ObjectNode more) {
    String focus = null;
    String extra = s.rest.strip();
    Matcher fm = FOCUS.matcher(extra);
    if (fm.matches()) {
      focus = fm.group(1);
      extra = "";
    }
    String object = previousName != null ? previousName : goal != null ? "the text" : "it";
    String title = capitalise(s.verb.toLowerCase(Locale.ROOT)) + " " + object + (focus != null ? " for " + focus
        : "");
    instructions.append(capitalise(s.verb.toLowerCase(Locale.ROOT))).append(" ")
        .append(previousName != null ? previousName + " below" : goal != null ? "this: " + goal : object)
        .append(focus != null ? " for " + focus : "").append(".");
    if (!extra.isEmpty()) {
      instructions.append(" ").append(sentence(capitalise(extra)));
    }
    instructions.append(" Keep what works and change what does not");
    if (words != null) {
      instructions.append(", keeping it about ").append(words).append(" words");
    }
    instructions.append(". Return the revised text in full, then a short list of the changes you made.");
    more.put("task_type", "editing");
    if (previousName == null && goal == null) {
      notes.notUnderstood("'" + s.clause + "': there is nothing before it to review; task " + id
          + " reviews what its instructions name");
    }
    return title;
  }

  private String publishingTask(PlanStep s, int id, @Nullable String previousName, StringBuilder instructions,
      ObjectNode more) {
    String to = s.rest.isBlank() ? null : s.rest.strip().replaceAll("[.!]+$", "");
    String title = to == null ? "Prepare for publishing" : "Publish to " + to;
    instructions.append("Prepare ").append(previousName != null ? previousName + " below" : "the text")
        .append(" for publishing").append(to == null ? "" : " to " + to).append(": the final version in"
        + " Markdown, starting with front matter (title, description, slug). Return only the document to"
        + " publish.");
    more.put("task_type", "publishing");
    if (to != null) {
      more.putObject("x-publish").put("to", to);
    }
    notes.assumption("'" + s.clause + "': task " + id + " prepares the document to publish; a planned"
        + " workflow writes no files and runs no commands, so put task " + id + "'s output "
        + (to == null ? "where it goes" : "in " + to) + " yourself (or with an allowed command-line agent)");
    return title;
  }

  private String genericTask(PlanStep s, int i, @Nullable String previousName, StringBuilder instructions) {
    String what = s.rest.isBlank() ? s.clause : s.verb.isEmpty() ? s.rest : s.verb + " " + s.rest;
    String title = cut(capitalise(what), 200);
    instructions.append(sentence(capitalise(what)));
    if (subject != null && i == 0) {
      instructions.append(" The subject: ").append(sentence(subject));
    }
    if (previousName != null) {
      instructions.append(" Work from ").append(previousName).append(" below.");
    }
    if (i == wordsTask) {
      title += " (" + words + " words)";
      instructions.append(" Length: about ").append(words).append(" words.");
    }
    return title;
  }

  private void noteUnknownClauses() {
    for (String u : unknown) {
      notes.notUnderstood("'" + u + "': no rule reads it; it was added to task " + (notesTask + 1)
          + "'s instructions as a note");
    }
  }

  private void noteOrderLengthAndSchedule() {
    if (steps.size() > 1) {
      notes.assumption("the steps run one after another, in the order written, each given the output of the one"
          + " before");
    }
    if (words != null) {
      notes.assumption("'" + length.phrase() + "' is the length of task " + (wordsTask + 1) + "; tasks that write"
          + " the text may answer with up to " + (words * 2 + 1000) + " tokens");
    }
    if (schedule.cron() != null) {
      notes.assumption("'" + schedule.phrase() + "' is a schedule suggestion: cron '" + schedule.cron() + "' on task"
          + " 1, in the project's time zone; `schedule add` runs the workflow on it, `run` runs it once now");
    }
  }

  private static String json(ObjectNode root) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the planned template", e);
    }
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String sentence(String s) {
    String t = s.strip();
    return t.isEmpty() || ".!?:".indexOf(t.charAt(t.length() - 1)) >= 0 ? t : t + ".";
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
