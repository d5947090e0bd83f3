package dev.orchestrator.langchain4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps the arrows honest: the bridge builds on the provider toolkit, never on the bundled providers' internals or
 * the engine's; internals never reach back into the public classes; nothing reads the wall clock or sleeps.
 */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.orchestrator.langchain4j");

  @Test
  void nothingUsesOtherModulesInternals() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.orchestrator.providers.internal..",
        "dev.orchestrator.core.internal..", "dev.orchestrator.templates.internal..").check(CLASSES);
  }

  @Test
  void internalsDoNotDependOnThePublicClasses() {
    noClasses().that().resideInAPackage("..langchain4j.internal..").should().dependOnClassesThat()
        .resideInAPackage("dev.orchestrator.langchain4j").check(CLASSES);
  }

  @Test
  void nothingReadsTheWallClockOrSleeps() {
    noClasses().should().callMethod(java.time.Instant.class, "now").orShould()
        .callMethod(System.class, "currentTimeMillis").orShould().callMethod(Thread.class, "sleep", long.class)
        .check(CLASSES);
  }
}
