package dev.tessera.gateway.plantedcycle;

import ai.djl.ndarray.NDArray;
import dev.tessera.gateway.PlantedRootClass;

/**
 * Test fixture for the gateway's ArchitectureTest: the other half of a planted package cycle, and a
 * planted DJL dependency. Not used elsewhere.
 */
public class PlantedLeaf {

  /** Uses the root-package class back. */
  public PlantedRootClass root() {
    return new PlantedRootClass();
  }

  /** A dependency on DJL the gateway must not have. */
  public long size(NDArray array) {
    return array.size();
  }
}
