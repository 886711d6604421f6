package dev.tessera.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tessera.data.SafeTensorsSet;
import dev.tessera.data.TensorInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Safetensors weights under LlamaGen's names. Loading reads one tensor at a time from a memory-mapped
 * region (a single file, or the shards of a {@code .index.json} when the file itself is absent),
 * checks every expected name, shape and dtype, and rejects unknown tensors (except LlamaGen's
 * recomputed {@code freqs_cis}). F16, BF16 and F64 are converted to float32 in Java before the engine
 * sees them, so files of any size and any float type load with one tensor's worth of extra memory.
 */
public final class WeightsIO {

  private static final Set<String> IGNORED = Set.of("freqs_cis");

  private WeightsIO() {}

  /**
   * Reads and checks the tensors {@code expected} names; the arrays (float32) belong to
   * {@code manager}. {@code file} may be absent when {@code file + ".index.json"} lists its shards.
   */
  public static Map<String, NDArray> load(NDManager manager, Path file, Map<String, Shape> expected)
      throws IOException {
    return load(manager, file, expected, name -> false);
  }

  /**
   * As {@link #load(NDManager, Path, Map)}, skipping (not reading) the tensors {@code skip} accepts,
   * such as the encoder half of a checkpoint when only the decoder is served.
   */
  public static Map<String, NDArray> load(NDManager manager, Path file, Map<String, Shape> expected,
      Predicate<String> skip) throws IOException {
    Map<String, NDArray> byName = new HashMap<>();
    try (SafeTensorsSet set = SafeTensorsSet.open(file)) {
      for (TensorInfo t : set.tensors()) {
        if (IGNORED.contains(t.name()) || skip.test(t.name())) {
          continue;
        }
        Shape want = expected.get(t.name());
        if (want == null) {
          throw new WeightsException(set.source() + ": unexpected tensor '" + t.name() + "' "
              + t.describe() + " (not part of this model config)");
        }
        Shape found = new Shape(t.shape());
        if (!want.equals(found)) {
          throw new WeightsException(set.source() + ": tensor '" + t.name() + "' has shape " + found
              + " and dtype " + t.dtype() + ", expected shape " + want + " in a float dtype");
        }
        if (!t.dtype().isFloat()) {
          throw new WeightsException(set.source() + ": tensor '" + t.name() + "' has dtype "
              + t.dtype() + " (shape " + found + "), expected F32, F16, BF16 or F64");
        }
        NDArray a = manager.create(set.floats(t), want);
        a.setName(t.name());
        byName.put(t.name(), a);
      }
    } catch (IOException | RuntimeException e) {
      byName.values().forEach(NDArray::close);
      throw e;
    }
    for (String name : expected.keySet()) {
      if (!byName.containsKey(name)) {
        byName.values().forEach(NDArray::close);
        throw new WeightsException(file + ": missing tensor '" + name + "' " + expected.get(name));
      }
    }
    return byName;
  }

  /** Writes named tensors as safetensors, in fp16 when {@code half}. */
  public static void save(NDList named, Path file, boolean half) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    NDList out = new NDList();
    try (NDManager scope = named.head().getManager().newSubManager()) {
      for (NDArray a : named) {
        NDArray c = half ? a.toType(DataType.FLOAT16, true) : a.duplicate();
        c.attach(scope);
        c.setName(a.getName());
        out.add(c);
      }
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (OutputStream os = Files.newOutputStream(tmp)) {
        out.encode(os, NDList.Encoding.SAFETENSORS);
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** A weights file does not match the model it is loaded for. */
  public static final class WeightsException extends IllegalArgumentException {
    public WeightsException(String message) {
      super(message);
    }
  }
}
