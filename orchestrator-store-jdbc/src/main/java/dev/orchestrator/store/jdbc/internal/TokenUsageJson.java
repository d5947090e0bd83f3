package dev.orchestrator.store.jdbc.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.orchestrator.TokenUsage;
import java.io.IOException;

/**
 * The stored form of {@link TokenUsage} (in attempts and events): an object of its ten counts under the names and in
 * the order the value declares them, which is also what rows written while it was a record hold. Reading goes
 * through its builder, so its checks run; a count a row lacks (one written before that count existed) or holds as
 * null reads as 0, and unknown names are ignored.
 */
final class TokenUsageJson {
  /** The module that writes and reads {@link TokenUsage} so. */
  static final SimpleModule MODULE = new SimpleModule("orchestrator-store-token-usage")
      .addSerializer(TokenUsage.class, new Writer())
      .addDeserializer(TokenUsage.class, new Reader());

  private TokenUsageJson() {}

  private static final class Writer extends JsonSerializer<TokenUsage> {
    @Override
    public void serialize(TokenUsage u, JsonGenerator g, SerializerProvider serializers) throws IOException {
      g.writeStartObject();
      g.writeNumberField("inputTokens", u.inputTokens());
      g.writeNumberField("outputTokens", u.outputTokens());
      g.writeNumberField("cachedInputTokens", u.cachedInputTokens());
      g.writeNumberField("cacheWriteTokens", u.cacheWriteTokens());
      g.writeNumberField("reasoningTokens", u.reasoningTokens());
      g.writeNumberField("cacheWrite1hTokens", u.cacheWrite1hTokens());
      g.writeNumberField("audioInputTokens", u.audioInputTokens());
      g.writeNumberField("audioOutputTokens", u.audioOutputTokens());
      g.writeNumberField("imageInputTokens", u.imageInputTokens());
      g.writeNumberField("imageOutputTokens", u.imageOutputTokens());
      g.writeEndObject();
    }
  }

  private static final class Reader extends JsonDeserializer<TokenUsage> {
    @Override
    public TokenUsage deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode n = p.readValueAsTree();
      if (!n.isObject()) {
        return (TokenUsage) ctxt.handleUnexpectedToken(TokenUsage.class, p);
      }
      try {
        return TokenUsage.builder()
            .input(count(n, "inputTokens"))
            .output(count(n, "outputTokens"))
            .cachedInput(count(n, "cachedInputTokens"))
            .cacheWrite(count(n, "cacheWriteTokens"))
            .reasoning(count(n, "reasoningTokens"))
            .cacheWrite1h(count(n, "cacheWrite1hTokens"))
            .audioInput(count(n, "audioInputTokens"))
            .audioOutput(count(n, "audioOutputTokens"))
            .imageInput(count(n, "imageInputTokens"))
            .imageOutput(count(n, "imageOutputTokens"))
            .build();
      } catch (IllegalArgumentException e) {
        throw ctxt.weirdStringException(n.toString(), TokenUsage.class, e.getMessage());
      }
    }

    private static long count(JsonNode n, String name) {
      return n.path(name).asLong(0);
    }
  }
}
