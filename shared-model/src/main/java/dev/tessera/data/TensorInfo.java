package dev.tessera.data;

import dev.tessera.data.SafeTensors.DType;
import java.util.Arrays;

/**
 * Where one tensor of a safetensors file lies: its name, element type, shape and byte range, counted
 * from the start of the file (not of the data section), so ranges past 2 GiB are plain longs.
 *
 * @param name tensor name
 * @param dtype element type
 * @param shape sizes, outermost first
 * @param start first byte in the file
 * @param end one past the last byte in the file
 */
public record TensorInfo(String name, DType dtype, long[] shape, long start, long end) {

  /** Number of elements. */
  public long elements() {
    return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
  }

  /** Number of bytes. */
  public long byteCount() {
    return end - start;
  }

  /** {@code BF16[1024, 768]}. */
  public String describe() {
    return dtype + Arrays.toString(shape);
  }
}
