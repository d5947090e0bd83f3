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
      .addModule(new ApiJsonModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  /** The same, on one line: for streams of JSON values, one per line. */
  private static final ObjectMapper JSON_LINE = JSON.copy().disable(SerializationFeature.INDENT_OUTPUT);

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

  /**
   * A value as JSON on one line, as {@link #toJson(Object)} writes it but without line breaks: for streams of JSON
   * values, one per line ({@code orchestrator logs --follow --json}).
   *
   * @throws OrchestratorException when the value cannot be written as JSON
   */
  public static String toJsonLine(Object value) {
    try {
      return JSON_LINE.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new OrchestratorException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
