package dev.orchestrator.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.orchestrator.OrchestratorException;

/** JSON forms of reports and other values, for scripts. Thread-safe. */
public final class Reports {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private Reports() {}

  /**
   * A value (a report, a record) as indented JSON: instants and durations in ISO-8601.
   *
   * @throws OrchestratorException when the value cannot be written as JSON
   */
  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new OrchestratorException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
