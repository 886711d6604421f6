package dev.tessera.data;

import dev.tessera.data.SafeTensors.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a safetensors file: element type, shape and raw little-endian bytes.
 *
 * @param dtype element type
 * @param shape sizes, outermost first
 * @param data {@code product(shape) * dtype.bytes()} bytes, little-endian, row-major
 */
public record Tensor(DType dtype, long[] shape, byte[] data) {

  /** Checks that the byte count matches shape and dtype. */
  public Tensor {
    long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (n * dtype.bytes() != data.length) {
      throw new IllegalArgumentException(
          dtype + Arrays.toString(shape) + " needs " + n * dtype.bytes() + " bytes, got " + data.length);
    }
  }

  /** A float32 tensor. */
  public static Tensor of(float[] values, long... shape) {
    ByteBuffer b = le(values.length * 4);
    b.asFloatBuffer().put(values);
    return new Tensor(DType.F32, shape, b.array());
  }

  /** An int16 tensor. */
  public static Tensor of(short[] values, long... shape) {
    ByteBuffer b = le(values.length * 2);
    b.asShortBuffer().put(values);
    return new Tensor(DType.I16, shape, b.array());
  }

  /** An int32 tensor. */
  public static Tensor of(int[] values, long... shape) {
    ByteBuffer b = le(values.length * 4);
    b.asIntBuffer().put(values);
    return new Tensor(DType.I32, shape, b.array());
  }

  /** A uint8 tensor (values are copied). */
  public static Tensor ofBytes(byte[] values, long... shape) {
    return new Tensor(DType.U8, shape, values.clone());
  }

  /** The elements as floats (F32 only). */
  public float[] floats() {
    require(DType.F32);
    float[] out = new float[data.length / 4];
    wrap().asFloatBuffer().get(out);
    return out;
  }

  /** The elements as shorts (I16 only). */
  public short[] shorts() {
    require(DType.I16);
    short[] out = new short[data.length / 2];
    wrap().asShortBuffer().get(out);
    return out;
  }

  /** The elements as ints (I32, I16 or U8, widened; U8 unsigned). */
  public int[] ints() {
    int[] out = new int[data.length / dtype.bytes()];
    switch (dtype) {
      case I32 -> wrap().asIntBuffer().get(out);
      case I16 -> {
        short[] s = shorts();
        for (int i = 0; i < s.length; i++) {
          out[i] = s[i];
        }
      }
      case U8 -> {
        for (int i = 0; i < data.length; i++) {
          out[i] = data[i] & 0xff;
        }
      }
      default -> throw new IllegalStateException("tensor is " + dtype + ", not an integer type");
    }
    return out;
  }

  private void require(DType expected) {
    if (dtype != expected) {
      throw new IllegalStateException("tensor is " + dtype + Arrays.toString(shape) + ", expected " + expected);
    }
  }

  private ByteBuffer wrap() {
    return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer le(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
