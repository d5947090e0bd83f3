package dev.orchestrator.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The examples show what a user or plugin author may write: public API and toolkit only, nobody's internals. */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter().importPackages("dev.orchestrator.examples");

  @Test
  void examplesNeverImportInternals() {
    noClasses().should().dependOnClassesThat().resideInAPackage("dev.orchestrator..internal..").check(CLASSES);
  }
}
