package dev.orchestrator.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Core reads time only through the injected clock and never sleeps. */
class ArchitectureTest {
  private final JavaClasses core = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.orchestrator.core");

  @Test
  void neverReadsTheWallClockDirectly() {
    noClasses().should().callMethod(Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(LocalDateTime.class, "now")
        .orShould().callMethod(ZonedDateTime.class, "now")
        .orShould().callMethod(Clock.class, "systemDefaultZone")
        .because("time comes from the injected Clock so tests can move it")
        .check(core);
    // The defaults when the application gives no clock: the engine's builder and the in-memory store's plain
    // factory. Nothing else may pick the system clock.
    noClasses().that().doNotHaveFullyQualifiedName(Orchestrator.Builder.class.getName())
        .and().doNotHaveFullyQualifiedName(InMemoryStore.class.getName())
        .should().callMethod(Clock.class, "systemUTC")
        .orShould().callMethod(Clock.class, "system", java.time.ZoneId.class)
        .check(core);
  }

  @Test
  void neverSleeps() {
    noClasses().should().callMethod(Thread.class, "sleep", long.class).check(core);
  }

  @Test
  void publicPackagesDoNotLeakInternalsToTheApi() {
    noClasses().that().resideInAPackage("dev.orchestrator.core.internal..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.orchestrator.testkit..")
        .check(core);
  }

  @Test
  void theFacadeOffersNoWayToForgeAnEvent() {
    // An event handed to the engine is stored and becomes notifications: only the engine and core's own components
    // (through the internal EngineAccess) make them.
    noMethods().that().areDeclaredIn(Orchestrator.class).and().arePublic()
        .should().haveRawParameterTypes(dev.orchestrator.event.Event.class)
        .check(core);
  }

  @Test
  void theFacadeHandsOutNoWritableStore() {
    // Readers get a StoreView; changes go through the engine's methods, which check and record them.
    noMethods().that().areDeclaredIn(Orchestrator.class).and().arePublic()
        .should().haveRawReturnType(dev.orchestrator.spi.store.Store.class)
        .orShould().haveRawReturnType(dev.orchestrator.spi.store.Ledger.class)
        .orShould().haveRawReturnType(dev.orchestrator.spi.store.ProviderHealth.class)
        .check(core);
  }
}
