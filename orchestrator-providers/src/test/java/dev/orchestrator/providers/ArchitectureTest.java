package dev.orchestrator.providers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps the arrows honest: providers never import each other, the public toolkit never imports internals, and nothing
 * reads the wall clock or sleeps.
 */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.orchestrator.providers");
  static final String[] PROVIDERS = {"openai", "anthropic", "gemini", "cli", "simulator"};

  @Test
  void providersNeverImportEachOther() {
    for (String a : PROVIDERS) {
      for (String b : PROVIDERS) {
        if (!a.equals(b)) {
          noClasses().that().resideInAPackage("..providers.internal." + a + "..").should().dependOnClassesThat()
              .resideInAPackage("..providers.internal." + b + "..").check(CLASSES);
        }
      }
    }
  }

  @Test
  void nothingReadsTheWallClockOrSleeps() {
    noClasses().should().callMethod(java.time.Instant.class, "now").orShould()
        .callMethod(System.class, "currentTimeMillis").orShould().callMethod(Thread.class, "sleep", long.class)
        .check(CLASSES);
  }

  @Test
  void theToolkitDoesNotDependOnInternals() {
    // plugins outside this module build on the toolkit alone: anything it needs from internal is a missing export
    noClasses().that().resideInAPackage("dev.orchestrator.providers.http..").should().dependOnClassesThat()
        .resideInAPackage("..providers.internal..").check(CLASSES);
  }

  @Test
  void theToolkitDoesNotDependOnTheBundledFactories() {
    noClasses().that().resideInAPackage("dev.orchestrator.providers.http..").should().dependOnClassesThat()
        .resideInAPackage("dev.orchestrator.providers").check(CLASSES);
  }
}
