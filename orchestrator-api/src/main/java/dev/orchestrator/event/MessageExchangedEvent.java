package dev.orchestrator.event;

import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.time.Instant;

/**
 * One message of a task's conversation between providers: the task's provider asked a collaborator a question, the
 * collaborator answered, the engine refused a question (not a collaborator, the exchange limit reached, no budget
 * left), or the task's provider gave its final answer after consulting; in a peer review, a reviewer gave its verdict
 * or the author its revision. In order, a task's events of this type are its conversation, which
 * {@code orchestrator logs} prints as a thread.
 *
 * @param attempt the task's attempt (1-based) the conversation belongs to
 * @param from who speaks: a provider's name, or {@code engine} for a refusal
 * @param to who is spoken to: a provider's name, or {@code task} for the final answer
 * @param kind {@link #QUESTION}, {@link #ANSWER}, {@link #REFUSAL}, {@link #FINAL}, {@link #REVIEW} or
 *     {@link #REVISION}
 * @param text what was said
 * @param usage the tokens of the call that produced the message ({@link TokenUsage#NONE} for a refusal)
 * @param cost what that call cost ({@link Money#ZERO} for a refusal)
 * @since 0.1
 */
public record MessageExchangedEvent(String project, String runId, String taskId, Instant at, int attempt,
    String from, String to, String kind, String text, TokenUsage usage, Money cost) implements TaskEvent {
  /** The task's provider asks a collaborator. */
  public static final String QUESTION = "question";
  /** A collaborator answers. */
  public static final String ANSWER = "answer";
  /** The engine did not send a question, and says why. */
  public static final String REFUSAL = "refusal";
  /** The task's provider's final answer after a conversation. */
  public static final String FINAL = "final";
  /** A reviewer's verdict on the author's answer, with its score and exact comments. */
  public static final String REVIEW = "review";
  /** The author's revised answer after a rejection. */
  public static final String REVISION = "revision";
}
