package dev.tessera.serving;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Renders a token grid of 2×2 grey patches (codebook rows of 4 values in [0, 1]) as a PNG. */
final class CodebookPng {

  private CodebookPng() {}

  static byte[] render(float[][] codebook, int gridSide, int[] tokens) {
    int side = gridSide * 2;
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    for (int g = 0; g < tokens.length; g++) {
      float[] patch = codebook[tokens[g]];
      int r = (g / gridSide) * 2;
      int c = (g % gridSide) * 2;
      for (int k = 0; k < 4; k++) {
        int v = Math.round(Math.max(0f, Math.min(1f, patch[k])) * 255f);
        img.getRaster().setSample(c + (k % 2), r + (k / 2), 0, v);
      }
    }
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
