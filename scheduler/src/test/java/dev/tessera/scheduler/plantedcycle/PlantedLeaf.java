package dev.tessera.scheduler.plantedcycle;

import dev.tessera.scheduler.PlantedRootClass;

/**
 * Test fixture for the scheduler's ArchitectureTest: the other half of a planted package cycle. Not
 * used elsewhere.
 */
public class PlantedLeaf {

  /** Uses the root-package class back. */
  public PlantedRootClass root() {
    return new PlantedRootClass();
  }
}
