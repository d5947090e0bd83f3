package dev.orchestrator.notifiers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The plugin's arrows: it uses the API only, never the engine or other plugins, and reads time from a clock. */
class ArchitectureTest {
  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.orchestrator.notifiers");

  @Test
  void neverImportsTheEngineOrOtherPlugins() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.orchestrator.core..",
        "dev.orchestrator.providers..", "dev.orchestrator.templates..", "dev.orchestrator.testkit..")
        .check(classes);
  }

  @Test
  void readsTimeOnlyFromTheInjectedClock() {
    noClasses().should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(java.time.Clock.class, "systemUTC")
        .because("wall time comes from the injected Clock (the builder's default is the only exception)")
        .allowEmptyShould(true)
        .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.orchestrator.notifiers.internal"));
  }

  @Test
  void neverSleeps() {
    noClasses().should().callMethod(Thread.class, "sleep", long.class).check(classes);
  }
}
