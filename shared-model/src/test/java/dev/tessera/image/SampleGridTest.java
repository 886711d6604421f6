package dev.tessera.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SampleGridTest {

  @Test
  void imagesLandInTheRowOfTheirLabelUpscaledWithGreyGutters() throws IOException {
    float[] white = new float[1024];
    java.util.Arrays.fill(white, 1f);
    float[] black = new float[1024];
    // label 1 → row 1; two images for row 1, the second is black.
    BufferedImage img = read(SampleGrid.png(new float[][] {white, black}, new int[] {1, 1}, 3, 2, 2));
    int cell = 64;
    int gutter = SampleGrid.GUTTER;
    assertThat(img.getWidth()).as("width").isEqualTo(2 * cell + 3 * gutter);
    assertThat(img.getHeight()).as("height").isEqualTo(3 * cell + 4 * gutter);
    int rowTop = gutter + cell + gutter;
    assertThat(grey(img, gutter, rowTop)).as("first cell of row 1 is white").isEqualTo(255);
    assertThat(grey(img, gutter + cell - 1, rowTop + cell - 1)).as("its far corner").isEqualTo(255);
    assertThat(grey(img, 2 * gutter + cell, rowTop)).as("second cell of row 1 is black").isZero();
    assertThat(grey(img, gutter, gutter)).as("empty row 0 stays gutter grey").isEqualTo(128);
    assertThat(grey(img, 0, 0)).as("outer gutter").isEqualTo(128);
  }

  @Test
  void sameInputGivesTheSameBytes() {
    float[][] imgs = {new float[1024], new float[1024]};
    imgs[1][5] = 0.7f;
    assertThat(SampleGrid.png(imgs, new int[] {0, 2}, 10, 4, 3)).as("grid bytes")
        .containsExactly(SampleGrid.png(imgs, new int[] {0, 2}, 10, 4, 3));
  }

  private static BufferedImage read(byte[] png) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  private static int grey(BufferedImage img, int x, int y) {
    return img.getRaster().getSample(x, y, 0);
  }
}
