package dev.tessera.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class TokenizerPngTest {

  private final VqTokenizer tok = VqTokenizer.of(VqConfig.of(4, 1), new float[][] {
      {0f, 0f, 0f, 0f}, {1f, 1f, 1f, 1f}, {0f, 1f, 0f, 1f}, {0.5f, 0.5f, 0.5f, 0.5f}});

  @Test
  void pngBytesAreTheSameEveryTime() {
    int[] tokens = tokens();
    assertThat(tok.toPng(tokens)).as("PNG bytes of the same tokens").containsExactly(tok.toPng(tokens));
  }

  @Test
  void pngDecodesToThe32By32GreyPixelsOfTheTokens() throws IOException {
    int[] tokens = tokens();
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(tok.toPng(tokens)));
    assertThat(img).as("decodable PNG").isNotNull();
    assertThat(img.getWidth()).as("width").isEqualTo(32);
    assertThat(img.getHeight()).as("height").isEqualTo(32);
    float[] px = tok.decode(tokens);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int grey = img.getRaster().getSample(x, y, 0);
        assertThat(grey).as("pixel (%d,%d)", x, y).isEqualTo(Math.round(px[y * 32 + x] * 255));
      }
    }
  }

  private static int[] tokens() {
    int[] t = new int[256];
    for (int i = 0; i < t.length; i++) {
      t[i] = (i * 7 + i / 16) % 4;
    }
    return t;
  }
}
