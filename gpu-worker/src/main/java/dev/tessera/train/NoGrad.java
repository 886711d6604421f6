package dev.tessera.train;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's grad mode off on this thread for a block, like {@code torch.no_grad()}. Grad mode is per
 * thread and on by default; DJL turns it off only on the thread that started the engine, so code
 * that updates parameters in place must not rely on it (on the worker, the engine starts on the
 * torch thread).
 */
final class NoGrad implements AutoCloseable {

  private final boolean before;

  private NoGrad() {
    before = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
  }

  /** Turns grad mode off until {@link #close}, which restores what it was. */
  static NoGrad enter() {
    return new NoGrad();
  }

  @Override
  public void close() {
    JniUtils.setGradMode(before);
  }
}
