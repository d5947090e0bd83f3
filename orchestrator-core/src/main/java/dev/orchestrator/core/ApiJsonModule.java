package dev.orchestrator.core;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import com.fasterxml.jackson.databind.introspect.VisibilityChecker;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.orchestrator.Money;
import java.lang.reflect.Modifier;
import java.security.CodeSource;
import java.util.Objects;

/**
 * A Jackson module that writes the API's value classes as their state, the way records are written. The API's values
 * that may grow are final classes with private fields and accessors named after them ({@code run.status()}), which
 * Jackson does not see as properties: with this module, a final class of the API module is written as its fields, in
 * the order they are declared, then its public {@code isX()} methods, so its JSON is what it was as a record (the
 * command line's {@code --json}, the dashboard's pages and {@link Reports} depend on that). {@code Money} is written
 * as its amount and currency only. Records, enums and everything outside the API module keep Jackson's usual rules.
 *
 * <pre>{@code
 * ObjectMapper json = JsonMapper.builder().addModule(new ApiJsonModule()).build();
 * }</pre>
 *
 * <p>Only writing: reading a value class back goes through its builder.
 *
 * @since 0.1
 */
public final class ApiJsonModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  /** A module that writes the API's value classes as their fields. */
  public ApiJsonModule() {
    super("orchestrator-api-values");
  }

  @Override
  public void setupModule(SetupContext context) {
    super.setupModule(context);
    context.insertAnnotationIntrospector(new FieldsOfApiValues());
    context.setMixInAnnotations(Money.class, MoneyFields.class);
  }

  /** Money as {@code {"amount": 0.013, "currency": "USD"}}: {@code isZero()} and {@code isNegative()} are derived. */
  @JsonIgnoreProperties({"zero", "negative"})
  private abstract static class MoneyFields {}

  /** Whether {@code type} is a value class of the API module: final, neither record nor enum. */
  static boolean isApiValueClass(Class<?> type) {
    return !type.isRecord() && !type.isEnum() && !type.isInterface() && Modifier.isFinal(type.getModifiers())
        && type.getPackageName().startsWith("dev.orchestrator") && FieldsOfApiValues.inApiModule(type);
  }

  /** Field visibility for the API's value classes; nothing else changes. */
  private static final class FieldsOfApiValues extends NopAnnotationIntrospector {
    private static final long serialVersionUID = 1L;
    private static final CodeSource API = Money.class.getProtectionDomain().getCodeSource();

    static boolean inApiModule(Class<?> type) {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      return source != null && API != null && Objects.equals(source.getLocation(), API.getLocation());
    }

    @Override
    public VisibilityChecker<?> findAutoDetectVisibility(AnnotatedClass ac, VisibilityChecker<?> checker) {
      if (!isApiValueClass(ac.getRawType())) {
        return checker;
      }
      // Public is-getters ({@code Question.isOpen()}) stay properties, after the fields, as they were on records.
      return checker.withFieldVisibility(Visibility.ANY).withGetterVisibility(Visibility.NONE);
    }
  }
}
