package dev.orchestrator.opentelemetry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's arrows: the engine's public API only, no other plugin, time from the orchestrator's clock. */
class ArchitectureTest {
  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.orchestrator.opentelemetry");

  @Test
  void usesTheEnginesPublicApiOnly() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.orchestrator.core.internal..",
        "dev.orchestrator.providers", "dev.orchestrator.providers.internal..", "dev.orchestrator.templates..",
        "dev.orchestrator.testkit..", "dev.orchestrator.notifiers..", "dev.orchestrator.micrometer..").check(classes);
  }

  @Test
  void onlyTheHeaderPluginKnowsTheProviders() {
    // The providers' toolkit is an optional dependency: only the class ServiceLoader finds through it may name it.
    noClasses().that().doNotHaveSimpleName("TraceContextHeaders").should().dependOnClassesThat()
        .resideInAnyPackage("dev.orchestrator.providers..").check(classes);
  }

  @Test
  void readsTimeOnlyFromTheOrchestratorsClock() {
    noClasses().should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(java.time.Clock.class, "systemUTC")
        .check(classes);
  }

  @Test
  void neverSleeps() {
    noClasses().should().callMethod(Thread.class, "sleep", long.class).check(classes);
  }
}
