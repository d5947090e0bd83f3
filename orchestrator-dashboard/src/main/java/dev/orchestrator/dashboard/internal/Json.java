package dev.orchestrator.dashboard.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.orchestrator.core.ApiJsonModule;
import dev.orchestrator.OrchestratorException;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskTransitionEvent;
import dev.orchestrator.run.Question;

/** The dashboard's JSON: records as objects, instants and durations in ISO-8601, money as {amount, currency}. */
public final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .addModule(new ApiJsonModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .addMixIn(Question.class, QuestionOpen.class)
      .build();

  /** A question with {@code "open"} after its fields, as the API has written it since it was a record. */
  private abstract static class QuestionOpen {
    @JsonProperty("open")
    abstract boolean isOpen();
  }

  private Json() {}

  /** A value as compact JSON. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new OrchestratorException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** Parses a request body; a blank body is an empty object. */
  static JsonNode read(String body) {
    if (body.isBlank()) {
      return MAPPER.createObjectNode();
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "the request body is not valid JSON (" + e.getOriginalMessage()
          + "): send an object such as {\"reason\": \"...\"}");
    }
  }

  /**
   * An event of the store's stream as a JSON object with its record components plus {@code type} (the record's
   * simple name), {@code sequence} (its place in the store's stream) and, for transitions, {@code to}.
   */
  public static String event(Event event, long sequence) {
    ObjectNode node = MAPPER.valueToTree(event);
    node.put("type", event.getClass().getSimpleName());
    node.put("project", event.project());
    node.put("runId", event.runId());
    node.put("sequence", sequence);
    if (event instanceof TaskTransitionEvent t) {
      node.put("to", t.to().name());
    }
    return write(node);
  }
}
