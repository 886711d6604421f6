package dev.tessera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import java.util.Map;

/** A training block whose parameters carry checkpoint names (LlamaGen's, or the drafter's). */
public interface NamedParameters {

  /**
   * A trainable weight named as in checkpoints; norm weights start at one, the rest are set from a
   * seeded host-side init right after the trainer initialises.
   */
  static Parameter weight(String name, ai.djl.ndarray.types.Shape shape) {
    return Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.WEIGHT)
        .optShape(shape)
        .optInitializer(name.endsWith("norm.weight")
            ? ai.djl.training.initializer.Initializer.ONES
            : ai.djl.training.initializer.Initializer.ZEROS)
        .build();
  }

  /** Parameters by name, in a stable order. */
  Map<String, Parameter> parametersByName();

  /** Copies values (seeded init or a checkpoint) into the parameters. */
  default void setValues(Map<String, NDArray> values) {
    for (Map.Entry<String, Parameter> e : parametersByName().entrySet()) {
      NDArray src = values.get(e.getKey());
      if (src == null) {
        throw new IllegalArgumentException("no value for parameter " + e.getKey());
      }
      e.getValue().getArray().set(
          src.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
    }
  }

  /** The parameters as named arrays (the live values). */
  default NDList namedValues() {
    NDList out = new NDList();
    for (Map.Entry<String, Parameter> e : parametersByName().entrySet()) {
      NDArray a = e.getValue().getArray();
      a.setName(e.getKey());
      out.add(a);
    }
    return out;
  }
}
