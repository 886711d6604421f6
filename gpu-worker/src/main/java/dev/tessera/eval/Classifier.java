package dev.tessera.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The trained {@code fm-classifier} for evaluation: class predictions and 128-dim penultimate-layer
 * features of 32×32 images in [0, 1]. Needs a DJL engine on the class path at run time. Not
 * thread-safe; close it to free its native memory.
 */
public final class Classifier implements AutoCloseable {

  /** Where the shipped classifier lives, relative to the repository root. */
  public static final Path DEFAULT_DIR = Path.of("models", "fm-classifier");

  /** Weights file name inside the model folder. */
  public static final String WEIGHTS_FILE = "model.safetensors";

  private static final int CHUNK = 250;

  private final NDManager manager;
  private final SequentialBlock net;
  private final ParameterStore store;

  Classifier(NDManager manager, SequentialBlock net) {
    this.manager = manager;
    this.net = net;
    this.store = new ParameterStore(manager, false);
  }

  /**
   * Loads {@code dir/model.safetensors}.
   *
   * @throws FileNotFoundException if it is missing (train it with {@code ./tessera train fm-classifier})
   */
  public static Classifier load(Path dir) throws IOException {
    Path weights = dir.resolve(WEIGHTS_FILE);
    if (!Files.isRegularFile(weights)) {
      throw new FileNotFoundException("no classifier weights at " + weights
          + " (train them with: ./tessera train fm-classifier)");
    }
    NDManager manager = NDManager.newBaseManager();
    try {
      SequentialBlock net = ClassifierNet.build();
      net.initialize(manager, DataType.FLOAT32, ClassifierNet.inputShape(1));
      ClassifierWeights.load(net, weights);
      return new Classifier(manager, net);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Predicted class per image: {@code [n][1024]} → {@code [n]}. */
  public int[] predict(float[][] images) {
    int[] out = new int[images.length];
    run(images, net, (start, result) -> {
      long[] idx = result.argMax(1).toLongArray(); // [b]
      for (int i = 0; i < idx.length; i++) {
        out[start + i] = (int) idx[i];
      }
    });
    return out;
  }

  /** Penultimate-layer features per image: {@code [n][1024]} → {@code [n][128]}. */
  public float[][] features(float[][] images) {
    float[][] out = new float[images.length][];
    Block featureBlock = net.getChildren().get(0).getValue();
    run(images, featureBlock, (start, result) -> {
      float[] flat = result.toFloatArray(); // [b * 128]
      for (int i = 0; i * ClassifierNet.FEATURE_DIM < flat.length; i++) {
        out[start + i] = java.util.Arrays.copyOfRange(flat, i * ClassifierNet.FEATURE_DIM, (i + 1) * ClassifierNet.FEATURE_DIM);
      }
    });
    return out;
  }

  /** Fraction of images whose predicted class equals their label. */
  public double accuracy(float[][] images, int[] labels) {
    int[] p = predict(images);
    int ok = 0;
    for (int i = 0; i < p.length; i++) {
      ok += p[i] == labels[i] ? 1 : 0;
    }
    return p.length == 0 ? 0 : (double) ok / p.length;
  }

  private void run(float[][] images, Block block, java.util.function.BiConsumer<Integer, NDArray> sink) {
    for (int start = 0; start < images.length; start += CHUNK) {
      int b = Math.min(CHUNK, images.length - start);
      try (NDManager batch = manager.newSubManager()) {
        NDArray x = batch.create(Batches.flatten(images, start, b), ClassifierNet.inputShape(b)); // [b,1,32,32]
        NDList result = block.forward(store, new NDList(x), false);
        sink.accept(start, result.singletonOrThrow());
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
