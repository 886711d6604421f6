package dev.tessera.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

class AdamWStateTest {

  /**
   * On a thread other than the one that started the engine, PyTorch's grad mode is on: an in-place
   * update of a parameter that requires gradients then fails ("a leaf Variable that requires grad is
   * being used in an in-place operation") unless the optimizer turns grad mode off itself.
   */
  @Test
  void updatesAParameterInPlaceWhereGradModeIsOnAndLeavesTheModeAsItWas() {
    try (NDManager m = NDManager.newBaseManager()) { // starts the engine: grad mode off here
      boolean before = JniUtils.isGradMode();
      NDArray weight = m.ones(new Shape(2, 2));
      weight.setRequiresGradient(true);
      NDArray grad = m.ones(new Shape(2, 2));
      JniUtils.setGradMode(true); // as on a thread that did not start the engine
      try {
        new AdamWState((id, t) -> 0.1f, 0f).update("w", weight, grad);
        assertThat(JniUtils.isGradMode()).as("grad mode restored").isTrue();
      } finally {
        JniUtils.setGradMode(before);
      }
      assertThat(weight.toFloatArray()).as("one Adam step of lr 0.1 against a gradient of 1")
          .containsExactly(new float[] {0.9f, 0.9f, 0.9f, 0.9f}, within(1e-4f));
    }
  }
}
