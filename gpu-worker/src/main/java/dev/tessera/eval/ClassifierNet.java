package dev.tessera.eval;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/**
 * The {@code fm-classifier} architecture: three conv blocks (conv 3×3 → batch norm → ReLU → max-pool 2)
 * with 32, 64, 64 channels take [B, 1, 32, 32] down to [B, 64, 4, 4]; then flatten → linear 1024→128 →
 * ReLU (the {@link #FEATURE_DIM}-dim features used for Fréchet distance) → dropout → linear 128→10.
 * About 0.2 M parameters.
 */
public final class ClassifierNet {

  /** Dimension of the penultimate features. */
  public static final int FEATURE_DIM = 128;

  /** Input shape of one batch of {@code b} images. */
  public static Shape inputShape(int b) {
    return new Shape(b, 1, 32, 32);
  }

  private ClassifierNet() {}

  /**
   * The network as {@code Sequential(features, head)}: child 0 maps [B,1,32,32] → [B,128] features,
   * child 1 maps them to [B,10] logits.
   */
  public static SequentialBlock build() {
    SequentialBlock features = new SequentialBlock()
        .add(convBlock(32)) // [B,32,16,16]
        .add(convBlock(64)) // [B,64,8,8]
        .add(convBlock(64)) // [B,64,4,4]
        .add(Blocks.batchFlattenBlock()) // [B,1024]
        .add(Linear.builder().setUnits(FEATURE_DIM).build()) // [B,128]
        .add(Activation.reluBlock());
    SequentialBlock head = new SequentialBlock()
        .add(Dropout.builder().optRate(0.3f).build())
        .add(Linear.builder().setUnits(10).build()); // [B,10]
    return new SequentialBlock().add(features).add(head);
  }

  private static SequentialBlock convBlock(int channels) {
    return new SequentialBlock()
        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(channels).build())
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
  }
}
