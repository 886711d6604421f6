package dev.tessera.worker.cli;

/** Sets the PyTorch engine's intra-op threads; must run before the engine is first used. */
final class Threads {

  private Threads() {}

  static void set(int intraOp) {
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOp));
    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
  }
}
