package dev.orchestrator.vcs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's arrows: the API, and of the engine only the codec of stored workflow definitions (to read a run's
 * dependencies); no other plugin; events dated by the injected clock; nothing sleeps.
 */
class ArchitectureTest {
  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.orchestrator.vcs");

  @Test
  void usesOfTheEngineOnlyTheWorkflowCodecAndNoOtherPlugin() {
    noClasses().should().dependOnClassesThat(DescribedPredicate.describe("engine or plugin classes other than "
        + "WorkflowCodec", (JavaClass c) -> (c.getPackageName().startsWith("dev.orchestrator.core")
            && !c.getName().equals("dev.orchestrator.core.internal.WorkflowCodec"))
            || c.getPackageName().startsWith("dev.orchestrator.providers")
            || c.getPackageName().startsWith("dev.orchestrator.store")
            || c.getPackageName().startsWith("dev.orchestrator.templates")
            || c.getPackageName().startsWith("dev.orchestrator.testkit")))
        .check(classes);
  }

  @Test
  void readsWallTimeOnlyFromTheInjectedClock() {
    noClasses().should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .check(classes);
  }

  @Test
  void neverSleeps() {
    noClasses().should().callMethod(Thread.class, "sleep", long.class).check(classes);
  }
}
