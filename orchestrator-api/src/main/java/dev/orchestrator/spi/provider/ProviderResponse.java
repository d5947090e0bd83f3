package dev.orchestrator.spi.provider;

import dev.orchestrator.CostBasis;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider's reply. Create one with {@link #of} or {@link #builder()}, never the constructor, so plugins keep
 * compiling when fields are added.
 *
 * @param text the output
 * @param usage the tokens the call consumed
 * @param model the model that answered, or null
 * @param responseId the provider's id for the response, or null
 * @param cost what the call cost by the vendor's rules; zero for a free call or an unpriced model
 * @param question a question for a human instead of an answer: the task waits for the answer and runs again
 *     with it, or null
 * @param costBasis how the cost was found: {@link CostBasis#UNPRICED} when the model has no price (the cost is then
 *     zero and the engine refuses budgeted tasks on it), {@link CostBasis#MEASURED} otherwise
 *
 * @since 0.1
 */
public record ProviderResponse(String text, TokenUsage usage, @Nullable String model, @Nullable String responseId,
    Money cost, @Nullable String question, CostBasis costBasis) {
  public ProviderResponse {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(cost, "cost");
    Objects.requireNonNull(costBasis, "costBasis");
  }

  /** A measured reply. */
  public ProviderResponse(String text, TokenUsage usage, @Nullable String model, @Nullable String responseId,
      Money cost, @Nullable String question) {
    this(text, usage, model, responseId, cost, question, CostBasis.MEASURED);
  }

  /** A reply with text and usage. */
  public static ProviderResponse of(String text, TokenUsage usage) {
    return new ProviderResponse(text, usage, null, null, Money.ZERO, null);
  }

  /** A reply that asks a human a question before the task can go on. */
  public static ProviderResponse askHuman(String question, TokenUsage usage) {
    return new ProviderResponse("", usage, null, null, Money.ZERO, Objects.requireNonNull(question, "question"));
  }

  /** Starts a reply. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ProviderResponse}. Mutable, not thread-safe. */
  public static final class Builder {
    private String text = "";
    private TokenUsage usage = TokenUsage.NONE;
    private @Nullable String model;
    private @Nullable String responseId;
    private Money cost = Money.ZERO;
    private @Nullable String question;
    private CostBasis costBasis = CostBasis.MEASURED;

    Builder() {}

    public Builder text(String text) {
      this.text = Objects.requireNonNull(text, "text");
      return this;
    }

    public Builder usage(TokenUsage usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    public Builder model(@Nullable String model) {
      this.model = model;
      return this;
    }

    public Builder responseId(@Nullable String responseId) {
      this.responseId = responseId;
      return this;
    }

    public Builder cost(Money cost) {
      this.cost = Objects.requireNonNull(cost, "cost");
      return this;
    }

    public Builder question(@Nullable String question) {
      this.question = question;
      return this;
    }

    public Builder costBasis(CostBasis costBasis) {
      this.costBasis = Objects.requireNonNull(costBasis, "costBasis");
      return this;
    }

    public ProviderResponse build() {
      return new ProviderResponse(text, usage, model, responseId, cost, question, costBasis);
    }
  }
}
