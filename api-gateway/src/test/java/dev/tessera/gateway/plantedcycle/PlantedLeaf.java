package dev.tessera.gateway.plantedcycle;

import dev.tessera.gateway.PlantedRootClass;

/**
 * Test fixture for the gateway's ArchitectureTest: the other half of a planted package cycle. Not
 * used elsewhere.
 */
public class PlantedLeaf {

  /** Uses the root-package class back. */
  public PlantedRootClass root() {
    return new PlantedRootClass();
  }
}
