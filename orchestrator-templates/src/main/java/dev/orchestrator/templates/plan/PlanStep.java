package dev.orchestrator.templates.plan;

import org.jspecify.annotations.Nullable;

/**
 * One step as read from a request by the {@link StepClassifier}: what kind of task it is, the words it came from and
 * the provider it names. Mutable while the steps are read (a later "have X draft it" can hand an earlier step to X),
 * then only read by the {@link TemplateWriter}.
 */
final class PlanStep {
  /** What the task does; it decides the task's title, instructions and type. */
  enum Kind { WRITE, REVIEW, PUBLISH, GENERIC }

  final Kind kind;
  /** The clause of the request, as written (with any provider words). */
  final String clause;
  /** The verb that chose the kind ("draft", "review", "publish"), or "" for a generic step. */
  String verb;
  /** The words after the verb, or the whole action for a generic step. */
  String rest;
  /** Whether a writing step names no subject of its own ("draft it"). */
  boolean pronoun;
  /** Whether a later "have X draft it" was merged into this step. */
  boolean merged;
  /** The instance the step runs on, when its provider word names one. */
  @Nullable String provider;
  /** The provider word of the request, when the clause names one. */
  @Nullable String providerWord;

  PlanStep(Kind kind, String clause, String verb, String rest) {
    this.kind = kind;
    this.clause = clause;
    this.verb = verb;
    this.rest = rest;
  }
}
