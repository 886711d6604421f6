package dev.tessera.worker;

import static dev.tessera.architecture.TesseraRules.TESSERA;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tessera.architecture.ModuleClasses;
import org.junit.jupiter.api.Test;

/**
 * The worker's module rules (the offline training and evaluation code included), on its main
 * classes (rules: TesseraRules).
 */
class ArchitectureTest {

  private static final JavaClasses MAIN = ModuleClasses.main();

  @Test
  void usesNoOtherService() {
    TESSERA.usesNoOtherService("worker").check(MAIN);
  }

  @Test
  void hasNoPackageCycles() {
    TESSERA.noPackageCycles().check(MAIN);
  }
}
