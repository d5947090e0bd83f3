package dev.orchestrator.spi.provider;

import dev.orchestrator.CostBasis;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider's reply: the output, the tokens it consumed, what it cost, and who answered. Create one with
 * {@link #of}, {@link #askHuman} or {@link #builder()}; the constructor is private, so plugins keep compiling when
 * fields are added. Immutable and thread-safe.
 *
 * <pre>{@code
 * ProviderResponse reply = ProviderResponse.builder()
 *     .text(answer).usage(TokenUsage.of(1200, 340)).model("gpt-4o-mini").responseId(id)
 *     .cost(Money.usd("0.0004"))
 *     .build();
 * }</pre>
 *
 * <p>Two replies are equal when every value is equal (amounts compare by value: {@code $0.5} equals
 * {@code $0.50}).
 *
 * @since 0.1
 */
public final class ProviderResponse {
  private final String text;
  private final TokenUsage usage;
  private final @Nullable String model;
  private final @Nullable String responseId;
  private final Money cost;
  private final @Nullable String question;
  private final CostBasis costBasis;
  private final List<ToolCall> toolCalls;

  private ProviderResponse(Builder b) {
    this.text = checkText(b.text);
    this.usage = checkUsage(b.usage);
    this.model = b.model;
    this.responseId = b.responseId;
    this.cost = checkCost(b.cost);
    this.question = b.question == null ? null : checkQuestion(b.question);
    this.costBasis = checkCostBasis(b.costBasis);
    this.toolCalls = b.toolCalls;
  }

  /**
   * A measured reply with text and usage, free of charge, naming no model.
   *
   * @throws NullPointerException when {@code text} or {@code usage} is null
   */
  public static ProviderResponse of(String text, TokenUsage usage) {
    return builder().text(text).usage(usage).build();
  }

  /**
   * A reply that asks a human a question before the task can go on: its text is empty.
   *
   * @throws IllegalArgumentException when {@code question} is blank
   * @throws NullPointerException when {@code question} or {@code usage} is null
   */
  public static ProviderResponse askHuman(String question, TokenUsage usage) {
    return builder().question(checkQuestion(question)).usage(usage).build();
  }

  /** Starts a reply: empty text, no tokens, free, measured, no model, id or question. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this reply's values, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The output; empty when the reply is a {@link #question()}. */
  public String text() {
    return text;
  }

  /** The tokens the call consumed. */
  public TokenUsage usage() {
    return usage;
  }

  /** The model that answered, as the vendor names it, or null. */
  public @Nullable String model() {
    return model;
  }

  /** The provider's id for the response, or null. */
  public @Nullable String responseId() {
    return responseId;
  }

  /** What the call cost by the vendor's rules, never negative; zero for a free call or an unpriced model. */
  public Money cost() {
    return cost;
  }

  /**
   * A question for a human instead of an answer: the task waits for the answer and runs again with it; or null for
   * an answer.
   */
  public @Nullable String question() {
    return question;
  }

  /**
   * How the cost was found: {@link CostBasis#UNPRICED} when the model has no price (the engine then records the call
   * at zero and refuses budgeted tasks on it), {@link CostBasis#MEASURED} otherwise.
   */
  public CostBasis costBasis() {
    return costBasis;
  }

  /**
   * The tools the model called instead of (or besides) answering, in order; empty for a final answer. The engine
   * runs them and sends the conversation back with their results.
   */
  public List<ToolCall> toolCalls() {
    return toolCalls;
  }

  private static String checkText(String text) {
    return Objects.requireNonNull(text, "text");
  }

  private static TokenUsage checkUsage(TokenUsage usage) {
    return Objects.requireNonNull(usage, "usage");
  }

  private static Money checkCost(Money cost) {
    Objects.requireNonNull(cost, "cost");
    if (cost.isNegative()) {
      throw new IllegalArgumentException("cost must not be negative (was " + cost
          + "): give what the call cost by the vendor's rules, or Money.ZERO for a free call");
    }
    return cost;
  }

  private static String checkQuestion(String question) {
    Objects.requireNonNull(question, "question");
    if (question.isBlank()) {
      throw new IllegalArgumentException("question must not be blank (was '" + question
          + "'): give the question a human is to answer, or none for a reply with an answer");
    }
    return question;
  }

  private static CostBasis checkCostBasis(CostBasis costBasis) {
    return Objects.requireNonNull(costBasis, "costBasis");
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ProviderResponse r && text.equals(r.text) && usage.equals(r.usage)
        && Objects.equals(model, r.model) && Objects.equals(responseId, r.responseId) && cost.equals(r.cost)
        && Objects.equals(question, r.question) && costBasis == r.costBasis && toolCalls.equals(r.toolCalls);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text, usage, model, responseId, cost, question, costBasis, toolCalls);
  }

  @Override
  public String toString() {
    return "ProviderResponse[text=" + text + ", usage=" + usage + ", model=" + model + ", responseId=" + responseId
        + ", cost=" + cost + ", question=" + question + ", costBasis=" + costBasis
        + (toolCalls.isEmpty() ? "" : ", toolCalls=" + toolCalls) + "]";
  }

  /**
   * Builds a {@link ProviderResponse}. Each setter checks its value at once: a null where a value is required
   * throws {@link NullPointerException} naming the setting, a bad value {@link IllegalArgumentException} naming the
   * setting and the value, and a refused value is never kept. Mutable and not thread-safe; reusing a builder never
   * changes a reply already built.
   */
  public static final class Builder {
    private String text = "";
    private TokenUsage usage = TokenUsage.NONE;
    private @Nullable String model;
    private @Nullable String responseId;
    private Money cost = Money.ZERO;
    private @Nullable String question;
    private CostBasis costBasis = CostBasis.MEASURED;
    private List<ToolCall> toolCalls = List.of();

    private Builder() {}

    private Builder(ProviderResponse from) {
      this.text = from.text;
      this.usage = from.usage;
      this.model = from.model;
      this.responseId = from.responseId;
      this.cost = from.cost;
      this.question = from.question;
      this.costBasis = from.costBasis;
      this.toolCalls = from.toolCalls;
    }

    /** The output; empty by default. */
    public Builder text(String text) {
      this.text = checkText(text);
      return this;
    }

    /** The tokens the call consumed; none by default. */
    public Builder usage(TokenUsage usage) {
      this.usage = checkUsage(usage);
      return this;
    }

    /** The model that answered, as the vendor names it; none by default, and null clears it. */
    public Builder model(@Nullable String model) {
      this.model = model;
      return this;
    }

    /** The provider's id for the response; none by default, and null clears it. */
    public Builder responseId(@Nullable String responseId) {
      this.responseId = responseId;
      return this;
    }

    /**
     * What the call cost by the vendor's rules; zero by default.
     *
     * @throws IllegalArgumentException when the amount is negative
     */
    public Builder cost(Money cost) {
      this.cost = checkCost(cost);
      return this;
    }

    /**
     * A question for a human instead of an answer; none by default, and null clears it.
     *
     * @throws IllegalArgumentException when the question is blank
     */
    public Builder question(@Nullable String question) {
      this.question = question == null ? null : checkQuestion(question);
      return this;
    }

    /** How the cost was found; {@link CostBasis#MEASURED} by default. */
    public Builder costBasis(CostBasis costBasis) {
      this.costBasis = checkCostBasis(costBasis);
      return this;
    }

    /** The tools the model called, in order; none by default, and an empty list clears them. */
    public Builder toolCalls(List<ToolCall> toolCalls) {
      this.toolCalls = List.copyOf(Objects.requireNonNull(toolCalls, "toolCalls"));
      return this;
    }

    /** Builds the reply; every value was checked when it was set. */
    public ProviderResponse build() {
      return new ProviderResponse(this);
    }
  }
}
