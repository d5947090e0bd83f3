package dev.orchestrator.spring.boot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The starter's arrows: it builds the orchestrator through public APIs only, and never sleeps. */
class ArchitectureTest {
  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.orchestrator.spring.boot");

  @Test
  void neverImportsAnotherModulesInternals() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.orchestrator.core.internal..",
        "dev.orchestrator.store.jdbc.internal..", "dev.orchestrator.dashboard.internal..",
        "dev.orchestrator.providers.internal..", "dev.orchestrator.testkit..").check(classes);
  }

  @Test
  void thePublicPackageReachesTheDashboardOnlyThroughItsAutoConfiguration() {
    noClasses().that().doNotHaveSimpleName("OrchestratorDashboardAutoConfiguration")
        .and().doNotHaveFullyQualifiedName(OrchestratorDashboardAutoConfiguration.Started.class.getName())
        .should().dependOnClassesThat().resideInAnyPackage("dev.orchestrator.dashboard..")
        .because("the dashboard is an optional dependency: any other class that names it fails to load without it")
        .check(classes);
  }

  @Test
  void neverSleeps() {
    noClasses().should().callMethod(Thread.class, "sleep", long.class).check(classes);
  }
}
