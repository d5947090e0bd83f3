package dev.orchestrator.templates.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns clauses into steps by the planner's rules: "publish to PATH", "review / edit / proofread ... for Z",
 * "write / draft ..." and other known verbs; "have X draft it" right after a first step that writes something hands
 * that step to X; a step that runs commands is refused unless it names a command-line agent the context allows. A
 * first clause no rule reads is the subject of the request; later ones are kept as notes for the writing task.
 */
final class StepClassifier {
  private static final int F = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
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

  /**
   * The steps read from a request.
   *
   * @param steps the steps, in order
   * @param subject the first clause when no rule reads it (what the request is about), or null
   * @param unknown later clauses no rule reads, in order
   */
  record Steps(List<PlanStep> steps, @Nullable String subject, List<String> unknown) {}

  private final PlanningContext context;
  private final ProviderResolver providers;
  private final PlanNotes notes;

  StepClassifier(PlanningContext context, PlanNotes notes) {
    this.context = context;
    this.providers = new ProviderResolver(context);
    this.notes = notes;
  }

  /** The steps of {@code clauses}; refusals and providers that name no instance go to the notes. */
  Steps read(List<String> clauses) {
    String subject = null;
    List<PlanStep> steps = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < clauses.size(); i++) {
      String clause = clauses.get(i);
      ProviderResolver.Assignment who = providers.find(clause);
      String action = who == null ? clause : who.action();
      String refusal = refusal(clause, action, who);
      if (refusal != null) {
        notes.refused(refusal);
        continue;
      }
      PlanStep step = classify(action, clause);
      if (step == null && who != null) {
        step = new PlanStep(PlanStep.Kind.GENERIC, clause, "", action);
      }
      if (step == null) {
        if (i == 0) {
          subject = clause;
        } else {
          unknown.add(clause);
        }
        continue;
      }
      if (who != null) {
        assign(step, who);
      }
      if (!mergedIntoFirst(step, steps)) {
        steps.add(step);
      }
    }
    return new Steps(steps, subject, unknown);
  }

  /**
   * For a request in which no step was found: one generic step that does all of it, or a {@link PlanningException}
   * when every step was refused.
   *
   * @param found what {@link #read} found (no steps)
   * @param text the request as read, without the length and schedule
   * @param request the request as given
   */
  Steps oneStepForAll(Steps found, String text, String request) {
    if (!notes.refusals().isEmpty() && found.subject() == null && found.unknown().isEmpty()) {
      throw new PlanningException("nothing in the request could be planned", notes.refusals());
    }
    String whole = found.subject() != null ? found.subject() : String.join(", ", found.unknown());
    if (whole.isBlank()) {
      whole = text.isBlank() ? request.strip() : text;
    }
    notes.assumption("found no steps to split the request into: one task does all of it");
    return new Steps(List.of(new PlanStep(PlanStep.Kind.GENERIC, whole, "", whole)), null, List.of());
  }

  /** Why the clause is left out, or null: it runs commands, or names a command-line agent not allowed. */
  private @Nullable String refusal(String clause, String action, ProviderResolver.@Nullable Assignment who) {
    String instance = who == null ? null : who.resolution().instance();
    boolean agent = instance != null && PlanningContext.CLI_TYPE.equals(context.typeOf(instance));
    if (agent && !context.usable(instance)) {
      return "'" + clause + "': " + instance + " is a command-line agent (type cli), which runs"
          + " commands on this machine, and planned workflows may use it only when it is allowed explicitly"
          + " (allowed: " + (context.allowedAgents().isEmpty() ? "none" : String.join(", ",
          context.allowedAgents())) + "); the step was left out";
    }
    if (!agent && COMMAND.matcher(action).find()) {
      return "'" + clause + "': a planned task only asks an AI provider and never runs commands, sends"
          + " messages or changes files; the step was left out (name an allowed command-line agent to do it)";
    }
    return null;
  }

  private static @Nullable PlanStep classify(String action, String clause) {
    Matcher m;
    if ((m = PUBLISH.matcher(action)).matches()) {
      return new PlanStep(PlanStep.Kind.PUBLISH, clause, m.group(1), m.group(2) == null ? "" : m.group(2));
    }
    if ((m = REVIEW.matcher(action)).matches()) {
      return new PlanStep(PlanStep.Kind.REVIEW, clause, m.group(1), m.group(2));
    }
    if ((m = WRITE.matcher(action)).matches()) {
      PlanStep s = new PlanStep(PlanStep.Kind.WRITE, clause, m.group(1), m.group(2).strip());
      s.pronoun = PRONOUN.matcher(s.rest).matches();
      return s;
    }
    if (VERB.matcher(action).find()) {
      return new PlanStep(PlanStep.Kind.GENERIC, clause, "", action);
    }
    return null;
  }

  private void assign(PlanStep step, ProviderResolver.Assignment who) {
    step.providerWord = who.word();
    if (who.resolution().instance() != null) {
      step.provider = who.resolution().instance();
    } else {
      notes.notUnderstood(who.resolution().problem());
    }
  }

  /**
   * Whether {@code step} was merged into the one step before it: "Write a blog post about X, have ChatGPT draft
   * it" is one task, by ChatGPT.
   */
  private static boolean mergedIntoFirst(PlanStep step, List<PlanStep> steps) {
    PlanStep previous = steps.isEmpty() ? null : steps.get(steps.size() - 1);
    if (step.kind == PlanStep.Kind.WRITE && step.pronoun && step.providerWord != null && previous != null
        && previous.kind == PlanStep.Kind.WRITE && previous.providerWord == null && steps.size() == 1) {
      previous.providerWord = step.providerWord;
      previous.provider = step.provider;
      previous.verb = step.verb;
      previous.merged = true;
      return true;
    }
    return false;
  }
}
