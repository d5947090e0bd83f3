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

/** The API depends on nothing of ours beyond itself, and no third-party type appears in its signatures. */
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
}
