package dev.tessera.archfixture.gateway;

import ai.djl.ndarray.NDManager;

/** Planted: the gateway holds DJL tensors. */
public class HoldsTensors {
  public NDManager manager() {
    return NDManager.newBaseManager();
  }
}
