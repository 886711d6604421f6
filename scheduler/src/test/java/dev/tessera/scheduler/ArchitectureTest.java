package dev.tessera.scheduler;

import static dev.tessera.architecture.TesseraRules.TESSERA;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tessera.architecture.ModuleClasses;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's module rules, on its main classes (rules: TesseraRules). Not yet
 * {@code noPackageCycles()}: the root package and {@code lease} still use each other
 * (SchedulerConfiguration -> SchedulerInstance, DispatchLease -> SchedulerProperties).
 */
class ArchitectureTest {

  private static final JavaClasses MAIN = ModuleClasses.main();

  @Test
  void usesNoOtherService() {
    TESSERA.usesNoOtherService("scheduler").check(MAIN);
  }

  @Test
  void routesWithoutEngine() {
    TESSERA.routesWithoutEngine("scheduler").check(MAIN);
  }
}
