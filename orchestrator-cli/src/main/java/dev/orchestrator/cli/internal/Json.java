package dev.orchestrator.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.orchestrator.core.ApiJsonModule;

/**
 * The JSON of {@code --json}: instants and durations in ISO-8601, and values as their fields only
 * ({@link ApiJsonModule}: money as its amount and currency, never a derived {@code "zero": false} that scripts could
 * come to rely on). Thread-safe.
 */
final class Json {
  private static final ObjectMapper PRETTY = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .addModule(new ApiJsonModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();
  private static final ObjectMapper LINE = PRETTY.copy().disable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** Indented, for a command's one JSON document. */
  static String pretty(Object value) {
    return write(PRETTY, value);
  }

  /** On one line, for streams of JSON values ({@code logs --follow --json}). */
  static String line(Object value) {
    return write(LINE, value);
  }

  private static String write(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
