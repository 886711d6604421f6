package dev.tessera.gateway;

import static dev.tessera.architecture.TesseraRules.TESSERA;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.tessera.architecture.ModuleClasses;
import dev.tessera.gateway.plantedcycle.PlantedLeaf;
import org.junit.jupiter.api.Test;

/**
 * The gateway's module rules, on its main classes (rules: TesseraRules): no cycle between its
 * packages (the root package {@code dev.tessera.gateway} is one of them), no other service, and
 * from the shared model only the contract, no DJL.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN = ModuleClasses.main();

  @Test
  void hasNoPackageCycles() {
    TESSERA.noPackageCycles().check(MAIN);
  }

  @Test
  void usesNoOtherService() {
    TESSERA.usesNoOtherService("gateway").check(MAIN);
  }

  @Test
  void routesWithoutEngine() {
    TESSERA.routesWithoutEngine("gateway").check(MAIN);
  }

  @Test
  void theCycleRuleFailsOnAPlantedCycleThroughTheRootPackage() {
    JavaClasses planted = new ClassFileImporter()
        .importClasses(PlantedRootClass.class, PlantedLeaf.class);
    assertThatThrownBy(() -> TESSERA.noPackageCycles().check(planted))
        .as("a root-package class and a sub-package class that use each other form a cycle")
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining("PlantedRootClass")
        .hasMessageContaining("PlantedLeaf");
  }
}
