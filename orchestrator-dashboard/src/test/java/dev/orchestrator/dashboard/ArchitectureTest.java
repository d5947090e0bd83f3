package dev.orchestrator.dashboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The dashboard's public face stays small, it steers the engine only through its public API, and never sleeps. */
class ArchitectureTest {
  private final JavaClasses main = new ClassFileImporter().importPath(Path.of("target/classes"));

  @Test
  void usesNoEngineInternals() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.orchestrator.core.internal..",
        "dev.orchestrator.testkit..").check(main);
  }

  @Test
  void publicSignaturesShowNoWebFrameworkTypes() {
    noMethods().that().areDeclaredInClassesThat().resideInAPackage("dev.orchestrator.dashboard")
        .and().arePublic()
        .should().haveRawReturnType(com.tngtech.archunit.base.DescribedPredicate.describe("a Javalin or Jetty type",
            (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().startsWith("io.javalin")
                || c.getPackageName().startsWith("org.eclipse.jetty")))
        .check(main);
  }

  @Test
  void neverSleeps() {
    noClasses().should().callMethod(Thread.class, "sleep", long.class).check(main);
    noClasses().should().callMethod(Thread.class, "sleep", long.class)
        .check(new ClassFileImporter().importPath(Path.of("target/test-classes")));
  }
}
