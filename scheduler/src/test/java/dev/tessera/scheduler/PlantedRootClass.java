package dev.tessera.scheduler;

import dev.tessera.scheduler.plantedcycle.PlantedLeaf;

/** Test fixture for {@link ArchitectureTest}: half of a planted package cycle. Not used elsewhere. */
public class PlantedRootClass {

  /** Uses the leaf, which uses this class back. */
  public PlantedLeaf leaf() {
    return new PlantedLeaf();
  }
}
