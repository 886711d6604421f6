package dev.tessera.scheduler.plantedcycle;

import ai.djl.ndarray.NDArray;
import dev.tessera.scheduler.PlantedRootClass;

/**
 * Test fixture for the scheduler's ArchitectureTest: the other half of a planted package cycle, and a
 * planted DJL dependency. Not used elsewhere.
 */
public class PlantedLeaf {

  /** Uses the root-package class back. */
  public PlantedRootClass root() {
    return new PlantedRootClass();
  }

  /** A dependency on DJL the scheduler must not have. */
  public long size(NDArray array) {
    return array.size();
  }
}
