package dev.tessera.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {

  @TempDir Path tmp;

  @Test
  void readsTheShippedSampleWithItsDimensions() throws IOException {
    try (var in = getClass().getResourceAsStream("/fashion-mnist-sample/t10k-images-idx3-ubyte.gz")) {
      IdxFile f = IdxFile.read(in, "sample");
      assertThat(f.dims()).as("sample image dims").containsExactly(300, 28, 28);
      assertThat(f.data()).as("data bytes").hasSize(300 * 28 * 28);
    }
  }

  @Test
  void plainAndGzipFilesReadTheSame() throws IOException {
    IdxFile f = new IdxFile(new int[] {2, 3}, new byte[] {1, 2, 3, 4, 5, (byte) 255});
    Path plain = write(f, false);
    Path gz = write(f, true);
    assertThat(IdxFile.read(plain).data()).as("plain round trip").containsExactly(f.data());
    assertThat(IdxFile.read(gz).data()).as("gzip round trip").containsExactly(f.data());
    assertThat(IdxFile.read(gz).dims()).as("dims").containsExactly(2, 3);
  }

  @Test
  void badMagicNumberIsNamedInTheError() throws IOException {
    Path bad = tmp.resolve("bad.idx");
    Files.write(bad, new byte[] {0x12, 0x34, 0x08, 0x01, 0, 0, 0, 0});
    assertThatThrownBy(() -> IdxFile.read(bad)).as("bad magic")
        .isInstanceOf(IdxFormatException.class).hasMessageContaining("bad IDX magic number 0x12340801")
        .hasMessageContaining(bad.toString());
  }

  @Test
  void unsupportedElementTypeIsRejected() throws IOException {
    Path bad = tmp.resolve("floats.idx");
    Files.write(bad, new byte[] {0, 0, 0x0d, 0x01, 0, 0, 0, 0});
    assertThatThrownBy(() -> IdxFile.read(bad)).as("float IDX")
        .isInstanceOf(IdxFormatException.class).hasMessageContaining("unsupported IDX element type 0x0d");
  }

  @Test
  void truncatedDataSaysHowManyBytesAreMissing() throws IOException {
    IdxFile f = new IdxFile(new int[] {4, 2}, new byte[8]);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    f.write(out, false);
    byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), out.size() - 3);
    assertThatThrownBy(() -> IdxFile.read(new ByteArrayInputStream(cut), "cut.idx")).as("truncated")
        .isInstanceOf(IdxFormatException.class)
        .hasMessageContaining("cut.idx: truncated data").hasMessageContaining("need 8 bytes, file has 5");
  }

  @Test
  void emptyFileIsReportedAsSuch() throws IOException {
    Path empty = Files.write(tmp.resolve("empty.idx"), new byte[0]);
    assertThatThrownBy(() -> IdxFile.read(empty)).as("empty")
        .isInstanceOf(IdxFormatException.class).hasMessageContaining("empty or truncated");
  }

  @Test
  void missingFileNamesThePath() {
    Path none = tmp.resolve("nope.gz");
    assertThatThrownBy(() -> IdxFile.read(none)).as("missing").hasMessageContaining("nope.gz");
  }

  private Path write(IdxFile f, boolean gzip) throws IOException {
    Path p = tmp.resolve(gzip ? "f.gz" : "f.idx");
    try (var out = Files.newOutputStream(p)) {
      f.write(out, gzip);
    }
    return p;
  }
}
