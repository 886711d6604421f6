package dev.tessera.gateway;

import static dev.tessera.architecture.TesseraRules.TESSERA;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tessera.architecture.ModuleClasses;
import org.junit.jupiter.api.Test;

/**
 * The gateway's module rules, on its main classes (rules: TesseraRules). Not yet
 * {@code noPackageCycles()}: its packages still form cycles (e.g. the root package <-> auth,
 * generation -> recorder -> events -> generation).
 */
class ArchitectureTest {

  private static final JavaClasses MAIN = ModuleClasses.main();

  @Test
  void usesNoOtherService() {
    TESSERA.usesNoOtherService("gateway").check(MAIN);
  }

  @Test
  void routesWithoutEngine() {
    TESSERA.routesWithoutEngine("gateway").check(MAIN);
  }
}
