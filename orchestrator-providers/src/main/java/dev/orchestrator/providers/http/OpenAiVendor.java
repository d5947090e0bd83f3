package dev.orchestrator.providers.http;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What sets one OpenAI-compatible vendor apart: its type id, default base URL, API-key environment variable, default
 * model and prices. Immutable and thread-safe; built once, usually as a constant of the vendor's factory:
 *
 * <pre>{@code
 * static final OpenAiVendor MISTRAL = OpenAiVendor.builder("mistral")
 *     .baseUrl("https://api.mistral.ai/v1")
 *     .apiKeyEnv("MISTRAL_API_KEY")
 *     .model("mistral-small-latest")
 *     .price("mistral-small-latest", ModelPrice.of(new BigDecimal("0.10"), new BigDecimal("0.30")))
 *     .build();
 * }</pre>
 */
public final class OpenAiVendor {
  private final String type;
  private final String baseUrl;
  private final String apiKeyEnv;
  private final boolean keyRequired;
  private final String model;
  private final PriceTable prices;
  private final String maxTokensField;

  private OpenAiVendor(Builder b) {
    this.type = b.type;
    this.baseUrl = require(b.baseUrl, "baseUrl", "the vendor's API root, such as https://api.example.com/v1");
    this.apiKeyEnv = require(b.apiKeyEnv, "apiKeyEnv", "the environment variable of the key, such as EXAMPLE_API_KEY");
    this.keyRequired = b.keyRequired;
    this.model = require(b.model, "model", "the model used when an instance names none");
    this.prices = b.prices;
    this.maxTokensField = b.maxTokensField;
  }

  /**
   * Starts a vendor description.
   *
   * @param type the type id its factory registers, lower case, such as {@code mistral}
   * @throws IllegalArgumentException when the type is blank or not lower case
   */
  public static Builder builder(String type) {
    return new Builder(type);
  }

  /** The type id. */
  public String type() {
    return type;
  }

  /** The API root an instance uses unless it sets {@code baseUrl}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The environment variable holding the key unless an instance sets {@code apiKeyEnv} or {@code apiKey}. */
  public String apiKeyEnv() {
    return apiKeyEnv;
  }

  /** Whether an instance without a key is a configuration error (true for hosted vendors). */
  public boolean keyRequired() {
    return keyRequired;
  }

  /** The model an instance uses unless it sets {@code model}. */
  public String model() {
    return model;
  }

  /** The vendor's prices; an instance's {@code price.*} and {@code pricingFile} are laid over them. */
  public PriceTable prices() {
    return prices;
  }

  /** The request field for the output limit: {@code max_tokens} (default) or {@code max_completion_tokens}. */
  public String maxTokensField() {
    return maxTokensField;
  }

  private static String require(@Nullable String value, String what, String example) {
    if (value == null) {
      throw new IllegalStateException("OpenAiVendor." + what + " is not set: give " + example);
    }
    return value;
  }

  /** Builds an {@link OpenAiVendor}. Not thread-safe; {@link #build()} copies, so reuse changes nothing built. */
  public static final class Builder {
    private final String type;
    private @Nullable String baseUrl;
    private @Nullable String apiKeyEnv;
    private boolean keyRequired = true;
    private @Nullable String model;
    private PriceTable prices = PriceTable.empty();
    private String maxTokensField = "max_tokens";

    private Builder(String type) {
      Objects.requireNonNull(type, "type");
      if (type.isBlank() || !type.equals(type.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("type must be a non-blank lower-case id such as mistral (was '" + type
            + "')");
      }
      this.type = type;
    }

    /** The default API root, such as {@code https://api.mistral.ai/v1}; {@code /chat/completions} is added. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      return this;
    }

    /** The default environment variable of the key, such as {@code MISTRAL_API_KEY}. */
    public Builder apiKeyEnv(String apiKeyEnv) {
      this.apiKeyEnv = Objects.requireNonNull(apiKeyEnv, "apiKeyEnv");
      return this;
    }

    /** Whether a key is required (default true); false for local servers that take none. */
    public Builder keyRequired(boolean keyRequired) {
      this.keyRequired = keyRequired;
      return this;
    }

    /** The default model. */
    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** Adds (or replaces) one model's price. */
    public Builder price(String model, ModelPrice price) {
      this.prices = prices.with(Objects.requireNonNull(model, "model"), Objects.requireNonNull(price, "price"));
      return this;
    }

    /** Replaces the whole table, such as {@link PriceTable#bundled()} for models it already prices. */
    public Builder prices(PriceTable prices) {
      this.prices = Objects.requireNonNull(prices, "prices");
      return this;
    }

    /**
     * The request field of the output limit.
     *
     * @throws IllegalArgumentException unless {@code max_tokens} or {@code max_completion_tokens}
     */
    public Builder maxTokensField(String field) {
      if (!"max_tokens".equals(field) && !"max_completion_tokens".equals(field)) {
        throw new IllegalArgumentException("maxTokensField must be max_tokens or max_completion_tokens (was '"
            + field + "')");
      }
      this.maxTokensField = field;
      return this;
    }

    /**
     * The vendor.
     *
     * @throws IllegalStateException when the base URL, key variable or model is not set
     */
    public OpenAiVendor build() {
      return new OpenAiVendor(this);
    }
  }
}
