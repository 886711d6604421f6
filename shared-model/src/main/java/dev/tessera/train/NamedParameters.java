package dev.tessera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import java.util.Map;

/** A training block whose parameters carry checkpoint names (LlamaGen's, or the drafter's). */
public interface NamedParameters {

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
