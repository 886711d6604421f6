package dev.tessera.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

  @TempDir Path tmp;

  @Test
  void tensorsAndMetadataSurviveARoundTrip() throws IOException {
    Path f = tmp.resolve("t.safetensors");
    SafeTensors.write(f, Map.of(
        "w", Tensor.of(new float[] {1.5f, -2f, 3f, 0f, 1e-7f, 42f}, 2, 3),
        "ids", Tensor.of(new short[] {7, -1, 511}, 3)), Map.of("k", "v"));
    Map<String, Tensor> back = SafeTensors.read(f);
    assertThat(back.get("w").floats()).as("float values").containsExactly(1.5f, -2f, 3f, 0f, 1e-7f, 42f);
    assertThat(back.get("w").shape()).as("shape").containsExactly(2, 3);
    assertThat(back.get("ids").shorts()).as("short values").containsExactly((short) 7, (short) -1, (short) 511);
    assertThat(SafeTensors.readMetadata(f)).as("metadata").containsEntry("k", "v");
  }

  @Test
  void headerIsAlignedToEightBytesAsTheFormatRecommends() throws IOException {
    Path f = tmp.resolve("a.safetensors");
    SafeTensors.write(f, Map.of("x", Tensor.of(new int[] {1, 2, 3}, 3)), Map.of());
    long headerLen = java.nio.ByteBuffer.wrap(Files.readAllBytes(f), 0, 8)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLen % 8).as("header length %d mod 8", headerLen).isZero();
  }
}
