package dev.tessera.scheduler;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static dev.tessera.architecture.TesseraRules.TESSERA;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.tessera.scheduler.plantedcycle.PlantedLeaf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's package rules: no cycle between its packages (the root package {@code
 * dev.tessera.scheduler} is one of them), and no dependency on the gateway, the worker or DJL.
 */
class ArchitectureTest {

  private static final String ROOT = "dev.tessera.scheduler";

  /**
   * Each top-level package of the scheduler is one slice, its sub-packages with it; the classes of
   * the root package (configuration, properties) are a slice of their own.
   */
  static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String name = javaClass.getPackageName();
      if (name.equals(ROOT)) {
        return SliceIdentifier.of("(root)");
      }
      if (name.startsWith(ROOT + ".")) {
        return SliceIdentifier.of(name.substring(ROOT.length() + 1).split("\\.")[0]);
      }
      return SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "the top-level packages of " + ROOT + " and its root package";
    }
  };

  static final ArchRule NO_PACKAGE_CYCLES =
      slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles();


  private static JavaClasses scheduler;

  @BeforeAll
  static void importScheduler() {
    scheduler = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
  }

  @Test
  void packagesAreFreeOfCycles() {
    NO_PACKAGE_CYCLES.check(scheduler);
  }

  @Test
  void usesNoOtherService() {
    TESSERA.usesNoOtherService("scheduler").check(scheduler);
  }

  @Test
  void routesWithoutEngine() {
    TESSERA.routesWithoutEngine("scheduler").check(scheduler);
  }

  @Test
  void theCycleRuleFailsOnAPlantedCycleThroughTheRootPackage() {
    JavaClasses planted = new ClassFileImporter()
        .importClasses(PlantedRootClass.class, PlantedLeaf.class);
    assertThatThrownBy(() -> NO_PACKAGE_CYCLES.check(planted))
        .as("a root-package class and a sub-package class that use each other form a cycle")
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining("PlantedRootClass")
        .hasMessageContaining("PlantedLeaf");
  }

}
