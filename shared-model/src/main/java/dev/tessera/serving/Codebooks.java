package dev.tessera.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a tokenizer directory's codebook ({@code codebook.safetensors}, one [V, 4] tensor). */
final class Codebooks {

  private Codebooks() {}

  static float[][] load(Path tokenizerDir) throws IOException {
    Path file = tokenizerDir.resolve("codebook.safetensors");
    try (NDManager m = NDManager.newBaseManager(); InputStream in = Files.newInputStream(file)) {
      NDArray a = NDList.decode(m, in).head().toType(DataType.FLOAT32, false);
      int v = (int) a.getShape().get(0);
      int d = (int) a.getShape().get(1);
      float[] flat = a.toFloatArray();
      float[][] rows = new float[v][d];
      for (int i = 0; i < v; i++) {
        System.arraycopy(flat, i * d, rows[i], 0, d);
      }
      return rows;
    }
  }
}
