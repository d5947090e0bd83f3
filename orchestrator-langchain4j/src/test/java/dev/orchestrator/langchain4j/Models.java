package dev.orchestrator.langchain4j;

import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;

/** LangChain4j's OpenAI model pointed at a local stub, as an application would build it for the bridge. */
final class Models {
  static final String KEY = "sk-test-4f9a2c7e1b8d3a6f5e0c9b2a";

  private Models() {}

  static OpenAiChatModel openAi(OpenAiStub stub) {
    return openAi(stub, "gpt-4o-mini");
  }

  static OpenAiChatModel openAi(OpenAiStub stub, String model) {
    return OpenAiChatModel.builder()
        .baseUrl(stub.baseUrl())
        .apiKey(KEY)
        .modelName(model)
        .maxRetries(0) // the engine retries and fails over; LangChain4j's own retries would hide the failures
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  static LangChain4jProvider provider(String name, OpenAiStub stub) {
    return LangChain4jProvider.builder().name(name).chatModel(openAi(stub)).secrets(KEY).build();
  }
}
