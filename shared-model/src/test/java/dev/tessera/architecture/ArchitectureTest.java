package dev.tessera.architecture;

import static dev.tessera.architecture.TesseraRules.TESSERA;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/** The shared model's module rules, on its main classes. */
class ArchitectureTest {

  private static final JavaClasses MAIN = ModuleClasses.main();

  @Test
  void usesNoFramework() {
    TESSERA.sharedModelIsFrameworkFree().check(MAIN);
  }

  @Test
  void theContractOwnsItsTypes() {
    TESSERA.contractOwnsItsTypes().check(MAIN);
  }

  @Test
  void usesNoService() {
    TESSERA.usesNoOtherService(null).check(MAIN);
  }

  @Test
  void hasNoPackageCycles() {
    TESSERA.noPackageCycles().check(MAIN);
  }
}
