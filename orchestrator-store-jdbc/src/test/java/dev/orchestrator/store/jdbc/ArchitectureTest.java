package dev.orchestrator.store.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The store's arrows: the API only, never the engine or other plugins; time from the database, never a sleep. */
class ArchitectureTest {
  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
      .importPackages("dev.orchestrator.store.jdbc");

  @Test
  void neverImportsTheEngineOrOtherPlugins() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.orchestrator.core..",
        "dev.orchestrator.providers..", "dev.orchestrator.templates..", "dev.orchestrator.notifiers..",
        "dev.orchestrator.testkit..")
        .check(classes);
  }

  @Test
  void neverReadsTheWallClockOrSleeps() {
    noClasses().should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .because("leases and queue times come from the database clock, and nothing here waits by sleeping")
        .check(classes);
  }
}
