package dev.orchestrator.providers.internal.openai;

import dev.orchestrator.providers.http.OpenAiCompatibleProvider;
import dev.orchestrator.providers.http.OpenAiVendor;
import dev.orchestrator.providers.http.PriceTable;
import dev.orchestrator.providers.http.Settings;
import java.net.http.HttpRequest;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI itself, and any OpenAI-compatible server named by {@code baseUrl} (Ollama, vLLM, llama.cpp's server, LM
 * Studio, OpenRouter, Groq, ...): the toolkit's {@link OpenAiCompatibleProvider} with what only OpenAI has: the
 * bundled price table, the organization and project headers, a key required on api.openai.com alone, and
 * {@code max_completion_tokens} there ({@code max_tokens}, which older servers understand, elsewhere). Thread-safe.
 */
public final class OpenAiProvider extends OpenAiCompatibleProvider {
  public static final String TYPE = "openai";
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  public static final String DEFAULT_MODEL = "gpt-4o-mini";
  public static final String KEY_ENV = "OPENAI_API_KEY";

  private final @Nullable String organization;
  private final @Nullable String project;

  private OpenAiProvider(Settings s, OpenAiVendor vendor) {
    super(s, vendor);
    this.organization = s.optional("organization");
    this.project = s.optional("project");
  }

  /** Creates an instance; the key is required only for api.openai.com (local servers need none). */
  public static OpenAiProvider create(Settings s) {
    boolean official = s.string("baseUrl", DEFAULT_BASE_URL).contains("api.openai.com");
    boolean officialHost = s.baseUrl(DEFAULT_BASE_URL).getHost().equalsIgnoreCase("api.openai.com");
    return new OpenAiProvider(s, OpenAiVendor.builder(TYPE)
        .baseUrl(DEFAULT_BASE_URL)
        .apiKeyEnv(KEY_ENV)
        .keyRequired(official)
        .model(DEFAULT_MODEL)
        .prices(PriceTable.bundled())
        .maxTokensField(officialHost ? "max_completion_tokens" : "max_tokens")
        .build());
  }

  @Override
  protected void headers(HttpRequest.Builder request) {
    if (organization != null) {
      request.header("OpenAI-Organization", organization);
    }
    if (project != null) {
      request.header("OpenAI-Project", project);
    }
  }
}
