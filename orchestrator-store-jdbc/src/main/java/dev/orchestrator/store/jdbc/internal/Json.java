package dev.orchestrator.store.jdbc.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.orchestrator.OrchestratorException;
import dev.orchestrator.event.Event;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.spi.store.Account;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The JSON forms of the values the store keeps as text: records through their components (the canonical constructor
 * reads them back, so its checks run), the API's value classes through a reader of their own that uses their builder
 * ({@link TokenUsageJson}), instants and durations as ISO-8601 strings to the nanosecond, amounts as plain
 * decimals with every digit. Unknown properties are ignored, so a row written by a newer version still reads.
 * Thread-safe.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .addModule(TokenUsageJson.MODULE)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      // Money.isZero() and Question.isOpen() are derived, not state.
      .visibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
      .build();

  private static final TypeReference<List<Attempt>> ATTEMPTS = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<List<Double>> DOUBLES = new TypeReference<>() {};
  private static final TypeReference<List<Account>> ACCOUNTS = new TypeReference<>() {};

  /** Every event record type by simple name, from the sealed {@link Event} hierarchy. */
  private static final Map<String, Class<? extends Event>> EVENT_TYPES = eventTypes();

  private Json() {}

  /** The value as JSON text. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new OrchestratorException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  /** The value as JSON text, or null for null. */
  public static @Nullable String writeNullable(@Nullable Object value) {
    return value == null ? null : write(value);
  }

  /** A string map as a JSON object with sorted keys. */
  public static String writeStrings(Map<String, String> map) {
    return write(new TreeMap<>(map));
  }

  /** Reads a value of {@code type}. */
  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw unreadable(type.getSimpleName(), e);
    }
  }

  /** Reads a value of {@code type}, or null for null. */
  public static <T> @Nullable T readNullable(@Nullable String json, Class<T> type) {
    return json == null ? null : read(json, type);
  }

  /** Reads attempts. */
  public static List<Attempt> readAttempts(String json) {
    return read(json, ATTEMPTS, "attempts");
  }

  /** Reads a string map. */
  public static Map<String, String> readStrings(String json) {
    return read(json, STRINGS, "string map");
  }

  /** Reads a list of numbers. */
  public static List<Double> readDoubles(String json) {
    return read(json, DOUBLES, "thresholds");
  }

  /** Reads a list of budget accounts. */
  public static List<Account> readAccounts(String json) {
    return read(json, ACCOUNTS, "budget accounts");
  }

  /** The name an event is stored under: its record's simple name. */
  public static String eventType(Event event) {
    return event.getClass().getSimpleName();
  }

  /** Reads an event stored under {@code type}, or empty when this version has no event type of that name. */
  public static Optional<Event> readEvent(String type, String json) {
    Class<? extends Event> cls = EVENT_TYPES.get(type);
    return cls == null ? Optional.empty() : Optional.of(read(json, cls));
  }

  private static <T> T read(String json, TypeReference<T> type, String what) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw unreadable(what, e);
    }
  }

  private static OrchestratorException unreadable(String what, JsonProcessingException e) {
    // The message names the place, never the stored text (it may hold prompts or outputs).
    return new OrchestratorException("stored " + what + " is not readable JSON (" + e.getOriginalMessage()
        + "); the row was written by an incompatible version or changed by hand", e);
  }

  private static Map<String, Class<? extends Event>> eventTypes() {
    List<Class<? extends Event>> found = new ArrayList<>();
    collect(Event.class, found);
    Map<String, Class<? extends Event>> byName = new LinkedHashMap<>();
    for (Class<? extends Event> c : found) {
      Class<? extends Event> other = byName.put(c.getSimpleName(), c);
      if (other != null && other != c) {
        throw new IllegalStateException("two event types share the simple name " + c.getSimpleName() + ": "
            + c.getName() + " and " + other.getName() + "; rename one");
      }
    }
    return Collections.unmodifiableMap(byName);
  }

  @SuppressWarnings("unchecked")
  private static void collect(Class<?> type, List<Class<? extends Event>> out) {
    if (type.isRecord()) {
      out.add((Class<? extends Event>) type);
      return;
    }
    Class<?>[] permitted = type.getPermittedSubclasses();
    if (permitted != null) {
      for (Class<?> sub : permitted) {
        collect(sub, out);
      }
    }
  }
}
