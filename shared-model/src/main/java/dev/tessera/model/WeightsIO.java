package dev.tessera.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Safetensors weights under LlamaGen's names. Loading checks every expected name and shape and
 * rejects unknown tensors (except LlamaGen's recomputed {@code freqs_cis}); fp16/bf16 are widened to
 * fp32.
 */
public final class WeightsIO {

  private static final Set<String> IGNORED = Set.of("freqs_cis");

  private WeightsIO() {}

  /** Reads and checks tensors for {@code config}; the arrays belong to {@code manager}. */
  public static Map<String, NDArray> load(NDManager manager, Path file, Map<String, Shape> expected)
      throws IOException {
    NDList list;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      list = NDList.decode(manager, in);
    } catch (RuntimeException e) {
      throw new IOException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
    }
    Map<String, NDArray> byName = new HashMap<>();
    for (NDArray a : list) {
      String name = a.getName();
      if (name == null || IGNORED.contains(name)) {
        a.close();
        continue;
      }
      Shape want = expected.get(name);
      if (want == null) {
        throw new WeightsException(file + ": unexpected tensor '" + name + "' " + a.getShape()
            + " (not part of this model config)");
      }
      if (!want.equals(a.getShape())) {
        throw new WeightsException(file + ": tensor '" + name + "' has shape " + a.getShape()
            + ", expected " + want);
      }
      NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
      f.setName(name);
      byName.put(name, f);
    }
    for (String name : expected.keySet()) {
      if (!byName.containsKey(name)) {
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
