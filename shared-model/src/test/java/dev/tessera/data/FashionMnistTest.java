package dev.tessera.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

  @Test
  void sampleSplitsHave300PaddedImagesWithValidLabels() throws IOException {
    for (Split s : Split.values()) {
      LabelledImages d = FashionMnistSample.load(s);
      assertThat(d.size()).as("%s sample size", s).isEqualTo(300);
      assertThat(d.images()[0]).as("%s padded pixel count", s).hasSize(1024);
      assertThat(java.util.Arrays.stream(d.labels()).boxed()).as("%s labels", s).allMatch(l -> l >= 0 && l < 10);
      assertThat(java.util.Arrays.stream(d.labels()).distinct().count()).as("%s classes present", s).isEqualTo(10);
    }
  }

  @Test
  void paddingCentresTheImageWithATwoPixelZeroBorder() {
    byte[] raw = new byte[28 * 28];
    java.util.Arrays.fill(raw, (byte) 255);
    raw[0] = (byte) 51; // top-left raw pixel = 0.2
    float[] img = FashionMnist.pad(raw, 0);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        boolean border = y < 2 || y >= 30 || x < 2 || x >= 30;
        float expected = border ? 0f : (y == 2 && x == 2 ? 0.2f : 1f);
        assertThat(img[y * 32 + x]).as("pixel (%d,%d)", y, x).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
  }

  @Test
  void sampleBordersAreBlack() throws IOException {
    float[][] images = FashionMnistSample.load(Split.TEST).images();
    for (float[] img : images) {
      for (int x = 0; x < 32; x++) {
        assertThat(img[x] + img[32 + x] + img[30 * 32 + x] + img[31 * 32 + x]).as("border rows").isZero();
      }
    }
  }

  @Test
  void loadingFromAFolderWithoutTheFilesSaysHowToInstallThem(@TempDir Path empty) {
    assertThatThrownBy(() -> FashionMnist.load(empty, Split.TRAIN)).as("missing dataset")
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("train-images-idx3-ubyte.gz")
        .hasMessageContaining("apt-get install -y dataset-fashion-mnist");
  }

  @Test
  void classNamesCoverTheTenLabels() {
    assertThat(FashionMnist.CLASS_NAMES).as("class names").hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
  }
}
