package dev.tessera.eval;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.tessera.data.SafeTensors;
import dev.tessera.data.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and loads a block's parameters (including batch-norm running statistics) as float32
 * safetensors, keyed by DJL's parameter path names (e.g. {@code 01SequentialBlock_01SequentialBlock_01Conv2d_weight}).
 */
final class ClassifierWeights {

  private ClassifierWeights() {}

  static void save(Block block, Path file, Map<String, String> metadata) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      var array = p.getValue().getArray();
      tensors.put(p.getKey(), Tensor.of(array.toFloatArray(), array.getShape().getShape()));
    }
    SafeTensors.write(file, tensors, metadata);
  }

  /** Copies the file's values into the (already initialised) parameters of {@code block}. */
  static void load(Block block, Path file) throws IOException {
    Map<String, Tensor> tensors = SafeTensors.read(file);
    for (Pair<String, Parameter> p : block.getParameters()) {
      Tensor t = tensors.get(p.getKey());
      var array = p.getValue().getArray();
      if (t == null) {
        throw new IOException(file + ": no tensor " + p.getKey());
      }
      if (!java.util.Arrays.equals(t.shape(), array.getShape().getShape())) {
        throw new IOException(file + ": tensor " + p.getKey() + " has shape " + java.util.Arrays.toString(t.shape())
            + ", the network expects " + array.getShape());
      }
      array.set(t.floats());
    }
    if (tensors.size() != block.getParameters().size()) {
      throw new IOException(file + ": has " + tensors.size() + " tensors, the network has "
          + block.getParameters().size() + " parameters");
    }
  }
}
