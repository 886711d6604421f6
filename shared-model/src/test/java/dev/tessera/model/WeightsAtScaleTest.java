package dev.tessera.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tessera.data.HalfFloats;
import dev.tessera.data.SafeTensors;
import dev.tessera.data.SafeTensors.DType;
import dev.tessera.data.Tensor;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights as people share them: f16/bf16 files, sharded sets, and files past 2 GiB. */
class WeightsAtScaleTest {

  private static final float[] VALUES = {1f, -2.5f, 0.099975586f, 3.140625f, -0.0001f, 65504f};

  @TempDir Path dir;

  static Tensor encode(DType dtype, float[] v, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(v.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      switch (dtype) {
        case F32 -> b.putFloat(f);
        case F16 -> b.putShort(HalfFloats.floatToHalf(f));
        case BF16 -> b.putShort(HalfFloats.floatToBfloat16(f));
        case F64 -> b.putDouble(f);
        default -> throw new IllegalArgumentException(dtype.name());
      }
    }
    return new Tensor(dtype, shape, b.array());
  }

  private float[] loadW(Path file) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = WeightsIO.load(m, file, Map.of("w", new Shape(2, 3))).get("w");
      assertThat(w.getDataType()).as("widened for the engine").isEqualTo(DataType.FLOAT32);
      return w.toFloatArray();
    }
  }

  @Test
  void f32F16Bf16AndF64LoadAsFloat32WithTheirOwnRounding() throws Exception {
    for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16, DType.F64}) {
      Path f = dir.resolve(dtype + ".safetensors");
      SafeTensors.write(f, Map.of("w", encode(dtype, VALUES, 2, 3)), Map.of());
      float[] got = loadW(f);
      for (int i = 0; i < VALUES.length; i++) {
        float want = switch (dtype) {
          case F16 -> HalfFloats.halfToFloat(HalfFloats.floatToHalf(VALUES[i]));
          case BF16 -> HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(VALUES[i]));
          default -> VALUES[i];
        };
        assertThat(got[i]).as("%s element %d", dtype, i).isEqualTo(want);
      }
    }
    assertThat(loadW(dir.resolve("BF16.safetensors"))[3]).as("bf16 keeps 8 bits of mantissa")
        .isEqualTo(3.140625f);
  }

  @Test
  void aShardedSetLoadsThroughItsIndex() throws Exception {
    SafeTensors.write(dir.resolve("model-00001-of-00002.safetensors"),
        Map.of("w", encode(DType.BF16, VALUES, 2, 3)), Map.of());
    SafeTensors.write(dir.resolve("model-00002-of-00002.safetensors"),
        Map.of("b", encode(DType.F32, new float[] {7f, 8f}, 2)), Map.of());
    Files.writeString(dir.resolve("model.safetensors.index.json"), """
        {"metadata": {"total_size": 20}, "weight_map": {
          "w": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}""");
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> got = WeightsIO.load(m, dir.resolve("model.safetensors"),
          Map.of("w", new Shape(2, 3), "b", new Shape(2)));
      assertThat(got.get("b").toFloatArray()).containsExactly(7f, 8f);
      assertThat(got.get("w").toFloatArray()[0]).isEqualTo(1f);
    }
  }

  @Test
  void anIndexThatPointsATensorAtTheWrongShardNamesIt() throws Exception {
    SafeTensors.write(dir.resolve("a.safetensors"), Map.of("w", encode(DType.F32, VALUES, 2, 3)),
        Map.of());
    Files.writeString(dir.resolve("model.safetensors.index.json"),
        "{\"weight_map\": {\"w\": \"a.safetensors\", \"b\": \"a.safetensors\"}}");
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> WeightsIO.load(m, dir.resolve("model.safetensors"),
          Map.of("w", new Shape(2, 3), "b", new Shape(2))))
          .hasMessageContaining("tensor 'b'").hasMessageContaining("a.safetensors");
    }
  }

  @Test
  void aMismatchNamesTheTensorWithExpectedAndFoundShapeAndDtype() throws Exception {
    Path f = dir.resolve("m.safetensors");
    SafeTensors.write(f, Map.of("w", encode(DType.BF16, VALUES, 3, 2)), Map.of());
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> WeightsIO.load(m, f, Map.of("w", new Shape(2, 3))))
          .hasMessageContaining("'w'").hasMessageContaining("(3, 2)")
          .hasMessageContaining("BF16").hasMessageContaining("expected shape (2, 3)");
      Path ints = dir.resolve("i.safetensors");
      SafeTensors.write(ints, Map.of("w", Tensor.of(new int[6], 2, 3)), Map.of());
      assertThatThrownBy(() -> WeightsIO.load(m, ints, Map.of("w", new Shape(2, 3))))
          .hasMessageContaining("'w' has dtype I32");
    }
  }

  @Test
  void aFileWithMoreThanTwoGibibytesOfDataLoads() throws Exception {
    long offset = (5L << 29) + 12; // 2.5 GiB + 12 into the data section
    byte[] json = ("{\"small\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"far\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[" + offset + ","
        + (offset + 4) + "]}}").getBytes(StandardCharsets.US_ASCII);
    Path f = dir.resolve("sparse.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      long dataStart = 8 + json.length;
      raf.setLength(dataStart + offset + 4); // sparse: the gap takes no disk
      raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
      raf.write(json);
      raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-3f)
          .array());
      raf.seek(dataStart + offset);
      raf.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
          .putShort(HalfFloats.floatToBfloat16(0.75f)).putShort(HalfFloats.floatToBfloat16(-8f))
          .array());
    }
    assertThat(Files.size(f)).as("file size").isGreaterThan(1L << 31);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> got = WeightsIO.load(m, f,
          Map.of("small", new Shape(2), "far", new Shape(2)));
      assertThat(got.get("far").toFloatArray()).containsExactly(0.75f, -8f);
      assertThat(got.get("small").toFloatArray()).containsExactly(1.5f, -3f);
    }
  }
}
