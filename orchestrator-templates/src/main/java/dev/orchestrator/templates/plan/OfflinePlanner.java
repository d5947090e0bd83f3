package dev.orchestrator.templates.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.templates.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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

  private static final int F = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final String PROVIDER_WORD = "(chat\\s?gpt|open\\s?ai|[\\p{L}\\p{N}][\\p{L}\\p{N}_.\\-]*)";
  private static final Pattern OPENAI = Pattern.compile("chat\\s?gpt|chat-gpt|gpt(-?\\d[\\w.\\-]*)?|open\\s?ai"
      + "|o\\d(-mini)?", F);
  private static final Pattern ANTHROPIC = Pattern.compile("claude(-[\\w.\\-]+)?|anthropic|sonnet|opus", F);
  private static final Pattern GEMINI = Pattern.compile("gemini(-[\\w.\\-]+)?|google|bard", F);
  private static final Pattern NOT_A_PROVIDER = Pattern.compile("the|a|an|it|them|this|that|someone|somebody"
      + "|people|me|us|you|everyone", F);

  private static final Pattern SPLIT = Pattern.compile("\\s*(?:;|(?<!\\d),|,(?!\\d)|\\.(?:\\s+|$)|\\band then\\b"
      + "|\\bthen\\b|\\bafter that\\b|\\bafterwards\\b|\\bfinally\\b)\\s*", F);
  private static final Pattern LEADING = Pattern.compile("^(?:(?:and|also|please|next|first|lastly|last)\\b\\s*)+", F);
  private static final Pattern WORDS = Pattern.compile("\\b(?:(?:with\\s+|and\\s+)?(?:a\\s+)?(?:target(?:ing)?"
      + "(?:\\s+length)?(?:\\s+of)?|aim(?:ing)?\\s+for|length(?:\\s+of)?|keep\\s+it\\s+(?:to|under|around|at)|in|of"
      + "|at\\s+least|at\\s+most|up\\s+to|no\\s+more\\s+than|under)\\s+)?(?:about\\s+|around\\s+|roughly\\s+"
      + "|approximately\\s+|~\\s*)?(\\d{1,3}(?:,\\d{3})+|\\d{1,6})\\s*(?:-\\s*)?words?\\b(?:\\s+long)?", F);
  private static final String DAY = "(?:mon|tues|wednes|thurs|fri|satur|sun)days?";
  private static final Pattern SCHEDULE = Pattern.compile("\\b(?:(?:run\\s+(?:it\\s+)?)?(?:every|each|on)\\s+"
      + "(day|weekday|morning|evening|week|month|hour|" + DAY + "(?:(?:\\s*,\\s*|\\s+and\\s+)" + DAY + ")*)"
      + "|(daily|weekly|monthly|hourly|weekdays)(?=\\s+(?:at|@)\\s|\\s*$|\\s*[,.;]))(?:\\s+(?:at|@)\\s+(\\d{1,2})(?:[:.h](\\d{2}))?\\s*"
      + "(am|pm|a\\.m\\.|p\\.m\\.)?)?", F);
  private static final Pattern HAVE = Pattern.compile("^(?:have|let|get|ask|use|tell|make)\\s+" + PROVIDER_WORD
      + "\\s+(?:to\\s+)?(.+)$", F);
  private static final Pattern LEAD = Pattern.compile("^" + PROVIDER_WORD
      + ":?\\s+(?:should\\s+|will\\s+|can\\s+|must\\s+|to\\s+)?(.+)$", F);
  private static final Pattern TRAIL = Pattern.compile("^(.+?)\\s+(?:with|using|by|via|on|in)\\s+" + PROVIDER_WORD
      + "$", F);
  private static final Pattern REVIEW = Pattern.compile("^(review|proofread|check|critique|edit|polish|refine"
      + "|improve|fact-check)(?:s|es|ed)?\\b\\s*(?:it|this|that|them|the\\s+(?:draft|post|article|text|result"
      + "|output|copy))?\\s*(.*)$", F);
  private static final Pattern PUBLISH = Pattern.compile("^(publish|post|upload)(?:es|s)?\\b\\s*(?:it|this|that"
      + "|them|the\\s+\\w+(?:\\s+version)?)?\\s*(?:(?:to|at|on|in|under|as)\\s+(.+))?$", F);
  private static final Pattern WRITE = Pattern.compile("^(draft|write|compose|produce|create|do|handle|prepare"
      + "|generate)(?:s|es)?\\b\\s*(.*)$", F);
  private static final Pattern PRONOUN = Pattern.compile("(?:it|this|that|the\\s+(?:first\\s+)?draft|a\\s+draft"
      + "|the\\s+post|the\\s+article|the\\s+text)?", F);
  private static final Pattern COMMAND = Pattern.compile("^(?:run|execute|exec|sudo|bash|sh|shell|curl|wget|rm"
      + "|git|npm|pip|mvn|gradle|install|deploy|delete|remove|kill|chmod|format|drop|ssh|scp|docker|kubectl"
      + "|send|email|e-mail|tweet|text|call)\\b|`|\\$\\(|&&|\\|\\||\\brm\\s+-", F);
  private static final Pattern VERB = Pattern.compile("^(?:research|summari[sz]e|translate|outline|list|compare"
      + "|analy[sz]e|plan|design|fix|test|brainstorm|find|collect|gather|extract|explain|suggest|rewrite|shorten"
      + "|expand|turn|convert|make|add|propose|identify|rank|score|classify|tag|answer|describe|review|draft"
      + "|write|create|generate|prepare|compose|produce|study|investigate|evaluate|assess|build|implement"
      + "|optimi[sz]e|check|illustrate|sketch|name|title|estimate|schedule|calculate|count|critique)"
      + "(?:s|es|d|ed)?\\b", F);

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

  private enum Kind { WRITE, REVIEW, PUBLISH, GENERIC }

  /** One step as read from the request. */
  private static final class Step {
    final Kind kind;
    final String clause;
    String verb;
    String rest;
    boolean pronoun;
    boolean merged;
    @Nullable String provider;
    @Nullable String providerWord;

    Step(Kind kind, String clause, String verb, String rest) {
      this.kind = kind;
      this.clause = clause;
      this.verb = verb;
      this.rest = rest;
    }
  }

  /** A provider word and the instance it names, or why it names none. */
  private record Resolution(@Nullable String instance, @Nullable String problem) {}

  @Override
  public WorkflowPlan plan(String request, PlanningContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    if (request.isBlank()) {
      throw new IllegalArgumentException("request is blank: describe the work, such as \"Write a blog post about"
          + " tides, have ChatGPT draft it, then Claude review for tone\"");
    }
    if (request.length() > MAX_REQUEST_CHARS) {
      throw new IllegalArgumentException("request is " + request.length() + " characters long (at most "
          + MAX_REQUEST_CHARS + "): describe the steps briefly and put long material in a task's instructions"
          + " later");
    }
    List<String> assumptions = new ArrayList<>();
    List<String> notUnderstood = new ArrayList<>();
    List<String> refused = new ArrayList<>();

    String text = request.strip().replaceAll("\\s+", " ");
    if (text.length() > 1 && (text.startsWith("\"") && text.endsWith("\"")
        || text.startsWith("'") && text.endsWith("'"))) {
      text = text.substring(1, text.length() - 1).strip();
    }
    if (text.contains("{{") || text.contains("}}")) {
      text = text.replace("{{", "{ {").replace("}}", "} }");
      assumptions.add("'{{' and '}}' in the request are kept as text (written '{ {' and '} }'), not placeholders");
    }

    Integer words = null;
    String wordsText = null;
    Matcher wm = WORDS.matcher(text);
    if (wm.find()) {
      words = Integer.valueOf(wm.group(1).replace(",", ""));
      wordsText = wm.group().strip();
      text = (text.substring(0, wm.start()) + " " + text.substring(wm.end())).replaceAll("\\s+", " ");
      if (words < 1 || words > 100_000) {
        notUnderstood.add("'" + wordsText + "': a length must be 1 to 100000 words; no length was set");
        words = null;
      }
    }
    String cron = null;
    String scheduleText = null;
    Matcher sm = SCHEDULE.matcher(text);
    if (sm.find()) {
      scheduleText = sm.group().strip();
      cron = cron(sm, assumptions, notUnderstood);
      text = (text.substring(0, sm.start()) + " " + text.substring(sm.end())).replaceAll("\\s+", " ");
    }

    List<String> clauses = new ArrayList<>();
    for (String c : SPLIT.split(text)) {
      String s = LEADING.matcher(c.strip()).replaceFirst("").strip();
      if (!s.isEmpty() && !s.equalsIgnoreCase("and")) {
        clauses.add(s);
      }
    }

    String subject = null;
    List<Step> steps = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < clauses.size(); i++) {
      String clause = clauses.get(i);
      String action = clause;
      String providerWord = null;
      Resolution resolution = null;
      Matcher m;
      if ((m = HAVE.matcher(clause)).matches() && !NOT_A_PROVIDER.matcher(m.group(1)).matches()) {
        providerWord = m.group(1);
        action = m.group(2);
        resolution = resolve(providerWord, context);
      } else if ((m = LEAD.matcher(clause)).matches() && knownProvider(m.group(1), context)) {
        providerWord = m.group(1);
        action = m.group(2);
        resolution = resolve(providerWord, context);
      } else if ((m = TRAIL.matcher(clause)).matches() && knownProvider(m.group(2), context)) {
        providerWord = m.group(2);
        action = m.group(1);
        resolution = resolve(providerWord, context);
      }
      boolean agent = resolution != null && resolution.instance() != null
          && PlanningContext.CLI_TYPE.equals(context.typeOf(resolution.instance()));
      if (agent && !context.usable(resolution.instance())) {
        refused.add("'" + clause + "': " + resolution.instance() + " is a command-line agent (type cli), which runs"
            + " commands on this machine, and planned workflows may use it only when it is allowed explicitly"
            + " (allowed: " + (context.allowedAgents().isEmpty() ? "none" : String.join(", ",
            context.allowedAgents())) + "); the step was left out");
        continue;
      }
      if (!agent && COMMAND.matcher(action).find()) {
        refused.add("'" + clause + "': a planned task only asks an AI provider and never runs commands, sends"
            + " messages or changes files; the step was left out (name an allowed command-line agent to do it)");
        continue;
      }
      Step step = classify(action, clause);
      if (step == null && providerWord != null) {
        step = new Step(Kind.GENERIC, clause, "", action);
      }
      if (step == null) {
        if (i == 0) {
          subject = clause;
        } else {
          unknown.add(clause);
        }
        continue;
      }
      if (providerWord != null) {
        step.providerWord = providerWord;
        if (resolution.instance() != null) {
          step.provider = resolution.instance();
        } else {
          notUnderstood.add(resolution.problem());
        }
      }
      Step previous = steps.isEmpty() ? null : steps.get(steps.size() - 1);
      if (step.kind == Kind.WRITE && step.pronoun && step.providerWord != null && previous != null
          && previous.kind == Kind.WRITE && previous.providerWord == null && steps.size() == 1) {
        // "Write a blog post about X, have ChatGPT draft it": one task, by ChatGPT.
        previous.providerWord = step.providerWord;
        previous.provider = step.provider;
        previous.verb = step.verb;
        previous.merged = true;
        continue;
      }
      steps.add(step);
    }

    if (steps.isEmpty()) {
      if (!refused.isEmpty() && subject == null && unknown.isEmpty()) {
        throw new PlanningException("nothing in the request could be planned", refused);
      }
      String whole = subject != null ? subject : String.join(", ", unknown);
      if (whole.isBlank()) {
        whole = text.isBlank() ? request.strip() : text;
      }
      Step only = new Step(Kind.GENERIC, whole, "", whole);
      steps.add(only);
      assumptions.add("found no steps to split the request into: one task does all of it");
      subject = null;
      unknown.clear();
    }

    // Build the template.
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    String goal = subject != null ? subject : steps.get(0).kind == Kind.WRITE && !steps.get(0).pronoun
        ? steps.get(0).clause : null;
    // The name is the goal, else the first task's title (set below, in the same place).
    root.put("name", goal != null ? cut(capitalise(goal), 120) : "");
    root.put("description", cut("Planned from the request: " + request.strip().replaceAll("\\s+", " "), 1000));
    ArrayNode tasks = root.putArray("tasks");
    int writing = -1;
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).kind == Kind.WRITE) {
        writing = i;
        break;
      }
    }
    int wordsTask = words == null ? -1 : writing >= 0 ? writing : 0;
    int notesTask = writing >= 0 ? writing : 0;
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      ObjectNode t = tasks.addObject();
      ObjectNode more = f.objectNode();
      int id = i + 1;
      t.put("id", id);
      String provider = s.provider != null ? s.provider : context.defaultProvider();
      if (s.provider == null && s.providerWord == null) {
        assumptions.add("task " + id + " names no provider: it runs on " + provider + ", the default");
      } else if (s.provider == null) {
        assumptions.add("task " + id + " runs on " + provider + ", the default, instead");
      } else if (!s.providerWord.equalsIgnoreCase(s.provider)) {
        List<String> same = context.instancesOfType(Objects.requireNonNull(context.typeOf(s.provider)));
        assumptions.add("'" + s.providerWord + "' is " + s.provider + " (type " + context.typeOf(s.provider) + ")"
            + (same.size() > 1 ? ", the first of " + same : ""));
      }
      Kind before = i == 0 ? null : steps.get(i - 1).kind;
      String previousName = before == null ? null : before == Kind.WRITE ? "the draft"
          : before == Kind.REVIEW ? "the revised text" : "the result";
      String title;
      StringBuilder instructions = new StringBuilder();
      switch (s.kind) {
        case WRITE -> {
          String what = s.pronoun ? (goal != null && i == writing ? goal : null) : s.clause.equals(s.rest)
              ? s.clause : null;
          if (what == null && !s.pronoun) {
            what = capitalise(s.verb) + " " + s.rest;
          }
          if (what == null) {
            what = previousName != null ? capitalise(s.verb) + " " + previousName : capitalise(s.verb) + " it";
            if (previousName == null) {
              notUnderstood.add("'" + s.clause + "': the request does not say what to " + s.verb
                  + "; task " + id + " says only '" + what + "'");
            }
          }
          title = s.verb.equalsIgnoreCase("draft") && (s.merged || s.pronoun) ? "Write the draft" : cut(capitalise(what), 200);
          instructions.append(sentence(capitalise(what)));
          if (i == wordsTask) {
            title += " (" + words + " words)";
            instructions.append(" Length: about ").append(words).append(" words.");
          }
          instructions.append(s.verb.equalsIgnoreCase("draft") ? " Write the complete draft, ready for review."
              : "");
          if (previousName != null) {
            instructions.append(" Work from ").append(previousName).append(" below.");
          }
          more.put("task_type", "writing");
        }
        case REVIEW -> {
          String focus = null;
          String extra = s.rest.strip();
          Matcher fm = Pattern.compile("^for\\s+(.+)$", F).matcher(extra);
          if (fm.matches()) {
            focus = fm.group(1);
            extra = "";
          }
          String object = previousName != null ? previousName : goal != null ? "the text" : "it";
          title = capitalise(s.verb.toLowerCase(Locale.ROOT)) + " " + object + (focus != null ? " for " + focus : "");
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
            notUnderstood.add("'" + s.clause + "': there is nothing before it to review; task " + id
                + " reviews what its instructions name");
          }
        }
        case PUBLISH -> {
          String to = s.rest.isBlank() ? null : s.rest.strip().replaceAll("[.!]+$", "");
          title = to == null ? "Prepare for publishing" : "Publish to " + to;
          instructions.append("Prepare ").append(previousName != null ? previousName + " below" : "the text")
              .append(" for publishing").append(to == null ? "" : " to " + to).append(": the final version in"
              + " Markdown, starting with front matter (title, description, slug). Return only the document to"
              + " publish.");
          more.put("task_type", "publishing");
          if (to != null) {
            more.putObject("x-publish").put("to", to);
          }
          assumptions.add("'" + s.clause + "': task " + id + " prepares the document to publish; a planned"
              + " workflow writes no files and runs no commands, so put task " + id + "'s output "
              + (to == null ? "where it goes" : "in " + to) + " yourself (or with an allowed command-line agent)");
        }
        default -> {
          String what = s.rest.isBlank() ? s.clause : s.verb.isEmpty() ? s.rest : s.verb + " " + s.rest;
          title = cut(capitalise(what), 200);
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
        }
      }
      if (i == notesTask && !unknown.isEmpty()) {
        instructions.append(" Also from the request: ").append(String.join("; ", unknown)).append(".");
      }
      t.put("title", cut(title, 500));
      if (i == 0 && goal == null) {
        root.put("name", cut(title, 120));
      }
      t.put("assigned_to", provider);
      if (i > 0) {
        t.putArray("depends_on").add(i);
      }
      t.put("instructions", instructions.toString().strip());
      t.setAll(more);
      if (words != null && s.kind != Kind.GENERIC) {
        t.put("max_output_tokens", words * 2 + 1000);
      }
      if (i == 0 && cron != null) {
        t.put("schedule", cron);
        t.put("repeat", true);
      }
    }
    for (String u : unknown) {
      notUnderstood.add("'" + u + "': no rule reads it; it was added to task " + (notesTask + 1)
          + "'s instructions as a note");
    }
    if (steps.size() > 1) {
      assumptions.add("the steps run one after another, in the order written, each given the output of the one"
          + " before");
    }
    if (words != null) {
      assumptions.add("'" + wordsText + "' is the length of task " + (wordsTask + 1) + "; tasks that write the"
          + " text may answer with up to " + (words * 2 + 1000) + " tokens");
    }
    if (cron != null) {
      assumptions.add("'" + scheduleText + "' is a schedule suggestion: cron '" + cron + "' on task 1, in the"
          + " project's time zone; `schedule add` runs the workflow on it, `run` runs it once now");
    }
    String json;
    try {
      json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the planned template", e);
    }
    WorkflowPlan.Builder plan = WorkflowPlan.builder(name(), request, json);
    assumptions.forEach(plan::assumption);
    notUnderstood.forEach(plan::notUnderstood);
    refused.forEach(plan::refused);
    return plan.build(context);
  }

  private static @Nullable Step classify(String action, String clause) {
    Matcher m;
    if ((m = PUBLISH.matcher(action)).matches()) {
      return new Step(Kind.PUBLISH, clause, m.group(1), m.group(2) == null ? "" : m.group(2));
    }
    if ((m = REVIEW.matcher(action)).matches()) {
      return new Step(Kind.REVIEW, clause, m.group(1), m.group(2));
    }
    if ((m = WRITE.matcher(action)).matches()) {
      Step s = new Step(Kind.WRITE, clause, m.group(1), m.group(2).strip());
      s.pronoun = PRONOUN.matcher(s.rest).matches();
      return s;
    }
    if (VERB.matcher(action).find()) {
      return new Step(Kind.GENERIC, clause, "", action);
    }
    return null;
  }

  private static boolean knownProvider(String word, PlanningContext context) {
    return context.typeOf(normalise(word)) != null || aliasType(word) != null;
  }

  private static String normalise(String word) {
    return word.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
  }

  private static @Nullable String aliasType(String word) {
    String w = word.strip();
    if (OPENAI.matcher(w).matches()) {
      return "openai";
    }
    if (ANTHROPIC.matcher(w).matches()) {
      return "anthropic";
    }
    if (GEMINI.matcher(w).matches()) {
      return "gemini";
    }
    return null;
  }

  private static Resolution resolve(String word, PlanningContext context) {
    String n = normalise(word);
    if (context.typeOf(n) != null) {
      return new Resolution(n, null);
    }
    String type = aliasType(word);
    if (type != null) {
      String first = context.firstOfType(type);
      if (first != null) {
        return new Resolution(first, null);
      }
      return new Resolution(null, "'" + word + "' means a provider of type " + type + ", and none is configured"
          + " (configured: " + String.join(", ", context.providers().keySet()) + "): add one, or name another");
    }
    return new Resolution(null, "'" + word + "' is not a configured provider instance (configured: "
        + String.join(", ", context.providers().keySet()) + "): add it to the configuration, or name another");
  }

  private static @Nullable String cron(Matcher m, List<String> assumptions, List<String> notUnderstood) {
    String every = (m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT);
    int hour = 9;
    int minute = 0;
    boolean timeGiven = m.group(3) != null;
    if (timeGiven) {
      hour = Integer.parseInt(m.group(3));
      minute = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
      String ampm = m.group(5) == null ? "" : m.group(5).toLowerCase(Locale.ROOT).replace(".", "");
      if (ampm.equals("pm") && hour < 12) {
        hour += 12;
      } else if (ampm.equals("am") && hour == 12) {
        hour = 0;
      }
      if (hour > 23 || minute > 59) {
        notUnderstood.add("'" + m.group().strip() + "': " + hour + ":" + minute + " is not a time of day; no"
            + " schedule was suggested");
        return null;
      }
    }
    if (every.equals("hour") || every.equals("hourly")) {
      return "0 * * * *";
    }
    if (!timeGiven) {
      hour = every.equals("evening") ? 18 : 9;
      assumptions.add("'" + m.group().strip() + "' gives no time: " + String.format(Locale.ROOT, "%02d:00", hour)
          + " is assumed");
    }
    String at = minute + " " + hour + " ";
    switch (every) {
      case "day", "daily", "morning", "evening":
        return at + "* * *";
      case "weekday", "weekdays":
        return at + "* * 1-5";
      case "week", "weekly":
        assumptions.add("'" + m.group().strip() + "': a week starts on Monday");
        return at + "* * 1";
      case "month", "monthly":
        return at + "1 * *";
      default:
        List<String> days = new ArrayList<>();
        Matcher d = Pattern.compile(DAY, F).matcher(every);
        String[] names = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
        while (d.find()) {
          for (int i = 0; i < names.length; i++) {
            if (d.group().startsWith(names[i])) {
              days.add(String.valueOf(i));
            }
          }
        }
        return at + "* * " + String.join(",", days);
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
