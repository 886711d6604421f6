package dev.tessera.infra;

import static dev.tessera.architecture.TesseraRules.TESSERA;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tessera.architecture.ModuleClasses;
import org.junit.jupiter.api.Test;

/**
 * The composition root's rules, on its main classes (rules: TesseraRules): it may use every
 * module, but its own packages form no cycle.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN = ModuleClasses.main();

  @Test
  void hasNoPackageCycles() {
    TESSERA.noPackageCycles().check(MAIN);
  }
}
