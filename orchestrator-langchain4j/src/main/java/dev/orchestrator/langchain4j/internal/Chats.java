package dev.orchestrator.langchain4j.internal;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.providers.http.Estimates;
import dev.orchestrator.providers.http.ModelPrice;
import dev.orchestrator.providers.http.Pricing;
import dev.orchestrator.providers.http.Prompts;
import dev.orchestrator.spi.provider.ProviderException;
import dev.orchestrator.spi.provider.ProviderException.Billing;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A task's request as a LangChain4j {@link ChatRequest}, and a {@link ChatResponse} as the engine's reply, priced. */
public final class Chats {
  private Chats() {}

  /**
   * The system prompt (with the JSON instruction of an expected schema) as a system message, the prompt as a user
   * message, the output limit, and the temperature when set.
   */
  public static ChatRequest request(ProviderRequest request, int maxOut, @Nullable Double temperature) {
    List<ChatMessage> messages = new ArrayList<>(2);
    String system = Prompts.system(request, true);
    if (system != null && !system.isBlank()) {
      messages.add(SystemMessage.from(system));
    }
    messages.add(UserMessage.from(Prompts.user(request)));
    ChatRequest.Builder chat = ChatRequest.builder().messages(messages).maxOutputTokens(maxOut);
    if (temperature != null) {
      chat.temperature(temperature);
    }
    return chat.build();
  }

  /**
   * The reply, costed for the model that answered (the configured one when the response names none); a reply without
   * usage is recorded at its worst case, as an estimate.
   *
   * @throws ProviderException for no response, a filtered reply or a reply without text
   */
  public static ProviderResponse reply(String name, String type, String model, Pricing pricing,
      @Nullable ChatResponse response, ProviderRequest request, int maxOut) {
    if (response == null) {
      throw new ProviderException(name, ErrorKind.MALFORMED_RESPONSE, "the ChatModel returned no response", true,
          null, null, Billing.MAY_HAVE_BILLED, TokenUsage.NONE, Money.ZERO);
    }
    String answering = response.modelName() == null || response.modelName().isBlank() ? model
        : response.modelName();
    TokenUsage usage = Usages.of(response.tokenUsage());
    Money cost;
    CostBasis basis;
    if (usage != null) {
      cost = pricing.cost(answering, usage);
      basis = pricing.basis(answering);
    } else {
      // no usage: the call may have cost up to its worst case, which is what is recorded, marked as an estimate
      usage = TokenUsage.of(Estimates.inputBound(Estimates.counterFor(type, answering), request), maxOut);
      Optional<ModelPrice> price = pricing.priceOf(answering);
      if (price.isPresent()) {
        cost = price.get().cost(usage);
        basis = CostBasis.ESTIMATED;
      } else if (pricing.maxCostPerCall() != null) {
        cost = pricing.maxCostPerCall();
        basis = CostBasis.ESTIMATED;
      } else {
        cost = Money.ZERO;
        basis = CostBasis.UNPRICED;
      }
    }
    AiMessage message = response.aiMessage();
    String text = message == null ? null : message.text();
    if (response.finishReason() == FinishReason.CONTENT_FILTER) {
      throw new ProviderException(name, ErrorKind.CONTENT_REFUSED, "the model's content filter stopped the reply",
          false, null, null, Billing.BILLED, usage, cost);
    }
    if (text == null) {
      throw new ProviderException(name, ErrorKind.MALFORMED_RESPONSE, "the reply has no text (finish reason "
          + response.finishReason() + ")", true, null, null, Billing.BILLED, usage, cost);
    }
    return ProviderResponse.builder().text(text).usage(usage).model(answering).responseId(response.id())
        .cost(cost).costBasis(basis).build();
  }
}
