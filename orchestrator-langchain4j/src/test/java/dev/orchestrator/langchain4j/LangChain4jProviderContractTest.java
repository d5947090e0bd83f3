package dev.orchestrator.langchain4j;

import dev.orchestrator.ErrorKind;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.testkit.ProviderContract;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;

/** The provider contract, through LangChain4j's OpenAI model against a local OpenAI-compatible stub. */
class LangChain4jProviderContractTest extends ProviderContract {
  private final List<OpenAiStub> stubs = new ArrayList<>();

  private OpenAiStub stub() {
    OpenAiStub stub = new OpenAiStub();
    stubs.add(stub);
    return stub;
  }

  @AfterEach
  void closeStubs() {
    stubs.forEach(OpenAiStub::close);
  }

  @Override
  protected AiProvider createProvider() {
    return Models.provider("gpt-mini", stub());
  }

  @Override
  protected @Nullable AiProvider createFailingProvider(ErrorKind kind) {
    OpenAiStub stub = stub();
    switch (kind) {
      case RATE_LIMITED -> stub.byDefault(OpenAiStub.error(429, "requests", "rate_limit_exceeded",
          "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1."));
      case SERVER -> stub.byDefault(OpenAiStub.error(500, "server_error", "server_error",
          "The server had an error while processing your request."));
      case AUTH -> stub.byDefault(OpenAiStub.error(401, "invalid_request_error", "invalid_api_key",
          "Incorrect API key provided: " + Models.KEY + ". You can find your API key at"
              + " https://platform.openai.com/account/api-keys."));
      case INVALID_REQUEST -> stub.byDefault(OpenAiStub.error(400, "invalid_request_error", "invalid_value",
          "Invalid value for 'temperature'."));
      default -> {
        return null;
      }
    }
    return Models.provider("gpt-mini", stub);
  }

  @Override
  protected @Nullable AiProvider createHangingProvider() {
    OpenAiStub stub = stub();
    stub.byDefault(new OpenAiStub.Hang());
    return Models.provider("gpt-mini", stub);
  }

  @Override
  protected @Nullable String secret() {
    return Models.KEY;
  }
}
