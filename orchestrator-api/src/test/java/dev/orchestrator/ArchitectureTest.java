package dev.orchestrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

/**
 * The API depends on nothing of ours beyond itself, no third-party type appears in its signatures, and its values
 * that may grow are not records.
 */
class ArchitectureTest {
  private final JavaClasses api = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.orchestrator");

  @Test
  void importsNothingButTheJdkAndNullness() {
    noClasses().should().dependOnClassesThat().resideOutsideOfPackages(
        "java..", "dev.orchestrator..", "org.jspecify..")
        .check(api);
  }

  @Test
  void neverImportsTheEngineOrOtherModules() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
        "dev.orchestrator.core..", "dev.orchestrator.providers..", "dev.orchestrator.templates..",
        "dev.orchestrator.testkit..", "..internal..").check(api);
  }

  @Test
  void publicSignaturesUseOnlyJdkAndApiTypes() {
    methods().that().arePublic().and().areDeclaredInClassesThat().arePublic()
        .should(new ArchCondition<>("use only JDK and API types in their signatures") {
          @Override
          public void check(JavaMethod m, ConditionEvents events) {
            check(m, m.getRawReturnType(), events);
            for (JavaClass p : m.getRawParameterTypes()) {
              check(m, p, events);
            }
          }

          private void check(JavaMethod m, JavaClass type, ConditionEvents events) {
            JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
            String name = base.getName();
            boolean ok = base.isPrimitive() || name.startsWith("java.") || name.startsWith("dev.orchestrator.");
            if (!ok) {
              events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes " + name));
            }
          }
        }).check(api);
  }

  /**
   * A public record exposes a positional constructor that every new component breaks, so outside the events (built
   * by the engine; docs/compatibility.md says how they evolve) only values whose shape is final may be records. A new
   * one is added here on purpose, with "A record: its shape is final" in its javadoc; anything else is a final class
   * behind a builder or factories.
   */
  @Test
  void onlyValuesWhoseShapeIsFinalAreRecords() {
    java.util.Set<String> finalShapes = java.util.Set.of("dev.orchestrator.Money", "dev.orchestrator.spi.PluginConfig",
        "dev.orchestrator.spi.PluginDiscovery$Result", "dev.orchestrator.spi.store.Account",
        "dev.orchestrator.spi.store.RunLease", "dev.orchestrator.spi.store.StoredEvent",
        "dev.orchestrator.budget.BudgetScope", "dev.orchestrator.schedule.MisfirePolicy",
        "dev.orchestrator.run.Cancellation", "dev.orchestrator.run.RunSnapshot",
        "dev.orchestrator.spi.store.ProviderHealth$Change", "dev.orchestrator.spi.store.ProviderHealth$ProbeClaim",
        "dev.orchestrator.spi.store.ProviderHealth$RateDecision", "dev.orchestrator.schedule.Trigger$Once",
        "dev.orchestrator.schedule.Trigger$Cron", "dev.orchestrator.spi.provider.ToolCall",
        "dev.orchestrator.spi.provider.ToolSpec");
    java.util.List<String> records = new java.util.ArrayList<>();
    for (JavaClass c : api) {
      if (c.isRecord() && c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)
          && !c.getPackageName().equals("dev.orchestrator.event") && !finalShapes.contains(c.getName())) {
        records.add(c.getName());
      }
    }
    org.assertj.core.api.Assertions.assertThat(records).as("public records outside the events whose shape is not "
        + "declared final: make them final classes with builders, or add them to the list with a reason").isEmpty();
  }
}
