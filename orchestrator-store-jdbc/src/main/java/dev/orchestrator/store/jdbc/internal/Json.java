package dev.orchestrator.store.jdbc.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import com.fasterxml.jackson.databind.introspect.VisibilityChecker;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.orchestrator.CostBasis;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.OrchestratorException;
import dev.orchestrator.TokenUsage;
import dev.orchestrator.event.Event;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Question;
import dev.orchestrator.spi.store.Account;
import dev.orchestrator.spi.store.Command;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.security.CodeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The JSON forms of the values the store keeps as text: records through their components (the canonical constructor
 * reads them back, so its checks run), the API's final value classes ({@link Attempt}, {@link Question},
 * {@link Command}) as their fields in declaration order, which is the JSON they had as records, read back through
 * their builders, and {@link dev.orchestrator.TokenUsage} through a reader of its own ({@link TokenUsageJson});
 * instants and durations as ISO-8601 strings to the nanosecond, amounts as plain decimals with every digit. Unknown
 * properties are ignored, so a row written by a newer version still reads. Thread-safe.
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
      // Values read through their builders go through a tree first: every digit of an amount is kept there too.
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .addModule(new ValuesModule())
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

  /** Reads a question, or null for null. */
  public static @Nullable Question readQuestion(@Nullable String json) {
    return readNullable(json, Question.class);
  }

  /** Reads a command. */
  public static Command readCommand(String json) {
    return read(json, Command.class);
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

  /** Writes the API's final value classes as their fields, and reads the ones the store keeps through builders. */
  private static final class ValuesModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    ValuesModule() {
      super("orchestrator-store-values");
      addDeserializer(Attempt.class, new AttemptReader());
      addDeserializer(Question.class, new QuestionReader());
      addDeserializer(Command.class, new CommandReader());
    }

    @Override
    public void setupModule(SetupContext context) {
      super.setupModule(context);
      context.insertAnnotationIntrospector(new FieldsOfApiValues());
    }
  }

  /**
   * Field visibility for the API's final value classes, so they are written as their fields in declaration order,
   * the JSON they had as records (the same rule as the engine's ApiJsonModule, which this module cannot use: it does
   * not depend on the engine). Everything else keeps Jackson's usual rules.
   */
  private static final class FieldsOfApiValues extends NopAnnotationIntrospector {
    private static final long serialVersionUID = 1L;
    private static final @Nullable CodeSource API = Money.class.getProtectionDomain().getCodeSource();

    static boolean isApiValueClass(Class<?> type) {
      if (type.isRecord() || type.isEnum() || type.isInterface() || !Modifier.isFinal(type.getModifiers())
          || !type.getPackageName().startsWith("dev.orchestrator")) {
        return false;
      }
      CodeSource source = type.getProtectionDomain().getCodeSource();
      return source != null && API != null && Objects.equals(source.getLocation(), API.getLocation());
    }

    @Override
    public VisibilityChecker<?> findAutoDetectVisibility(AnnotatedClass ac, VisibilityChecker<?> checker) {
      if (!isApiValueClass(ac.getRawType())) {
        return checker;
      }
      return checker.withFieldVisibility(Visibility.ANY).withGetterVisibility(Visibility.NONE)
          .withIsGetterVisibility(Visibility.NONE);
    }
  }

  /**
   * Reads a value class through its builder from the JSON object it was written as; a value the builder refuses is
   * reported as unreadable JSON naming the field.
   */
  private abstract static class BuilderReader<T> extends JsonDeserializer<T> {
    private final String what;

    BuilderReader(String what) {
      this.what = what;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode node = p.readValueAsTree();
      if (node == null || !node.isObject()) {
        throw JsonMappingException.from(p, what + " must be a JSON object (was " + node + ")");
      }
      try {
        return read(new Fields(p, node));
      } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
        throw JsonMappingException.from(p, "bad " + what + ": " + e.getMessage(), e);
      }
    }

    abstract T read(Fields f) throws IOException;
  }

  /** The fields of one JSON object; a field that is missing or null reads as null. */
  private static final class Fields {
    private final JsonParser p;
    private final JsonNode node;

    Fields(JsonParser p, JsonNode node) {
      this.p = p;
      this.node = node;
    }

    @Nullable JsonNode node(String name) {
      JsonNode n = node.get(name);
      return n == null || n.isNull() ? null : n;
    }

    @Nullable String text(String name) throws IOException {
      JsonNode n = node(name);
      if (n != null && !n.isTextual()) {
        throw JsonMappingException.from(p, name + " must be a string (was " + n.getNodeType() + ")");
      }
      return n == null ? null : n.textValue();
    }

    int integer(String name) throws IOException {
      JsonNode n = node(name);
      if (n == null || !n.canConvertToInt()) {
        throw JsonMappingException.from(p, name + " must be a whole number (was " + n + ")");
      }
      return n.intValue();
    }

    <V> @Nullable V value(String name, Class<V> type) throws IOException {
      JsonNode n = node(name);
      return n == null ? null : p.getCodec().treeToValue(n, type);
    }

    <E extends Enum<E>> @Nullable E constant(String name, Class<E> type) throws IOException {
      String s = text(name);
      if (s == null) {
        return null;
      }
      try {
        return Enum.valueOf(type, s);
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, name + " must be one of " + java.util.Arrays.toString(
            type.getEnumConstants()) + " (was '" + s + "')", e);
      }
    }
  }

  private static final class AttemptReader extends BuilderReader<Attempt> {
    AttemptReader() {
      super("attempt");
    }

    @Override
    Attempt read(Fields f) throws IOException {
      Attempt.Builder b = Attempt.builder().number(f.integer("number")).provider(nonNull(f.text("provider"),
          "provider")).startedAt(nonNull(f.value("startedAt", Instant.class), "startedAt"))
          .finishedAt(f.value("finishedAt", Instant.class)).outcome(f.constant("outcome", Attempt.Outcome.class))
          .errorKind(f.constant("errorKind", ErrorKind.class)).message(f.text("message"))
          .usage(nonNull(f.value("usage", TokenUsage.class), "usage"))
          .cost(nonNull(f.value("cost", Money.class), "cost")).prompt(f.text("prompt"));
      CostBasis basis = f.constant("costBasis", CostBasis.class);
      if (basis != null) { // attempts stored before the basis was recorded were measured
        b.costBasis(basis);
      }
      return b.build();
    }
  }

  private static final class QuestionReader extends BuilderReader<Question> {
    QuestionReader() {
      super("question");
    }

    @Override
    Question read(Fields f) throws IOException {
      return Question.builder().id(nonNull(f.text("id"), "id")).project(nonNull(f.text("project"), "project"))
          .runId(nonNull(f.text("runId"), "runId")).taskId(nonNull(f.text("taskId"), "taskId"))
          .text(nonNull(f.text("text"), "text")).askedAt(nonNull(f.value("askedAt", Instant.class), "askedAt"))
          .answer(f.text("answer")).answeredAt(f.value("answeredAt", Instant.class)).build();
    }
  }

  private static final class CommandReader extends BuilderReader<Command> {
    CommandReader() {
      super("command");
    }

    @Override
    Command read(Fields f) throws IOException {
      return Command.builder().id(nonNull(f.text("id"), "id"))
          .kind(nonNull(f.constant("kind", Command.Kind.class), "kind"))
          .project(nonNull(f.text("project"), "project")).runId(f.text("runId")).target(f.text("target"))
          .by(nonNull(f.text("by"), "by")).text(nonNull(f.text("text"), "text"))
          .at(nonNull(f.value("at", Instant.class), "at")).build();
    }
  }

  /** A field the value requires: missing or null is refused, naming it. */
  private static <V> V nonNull(@Nullable V value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " is missing");
    }
    return value;
  }
}
