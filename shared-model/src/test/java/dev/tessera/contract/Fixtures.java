package dev.tessera.contract;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;
import javax.imageio.ImageIO;

/** Ready-made contract records for tests. */
final class Fixtures {

  static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456Z");

  private Fixtures() {}

  static GenerationRequest request(String model, Strategy strategy) {
    return new GenerationRequest(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), model, 3, strategy, 42L, new SamplingParams(2.0, 1.0, 100, 0.9),
        StrategyParams.DEFAULT, Priority.NORMAL, null, 1, T0);
  }

  static DecodeMetrics metrics() {
    return new DecodeMetrics(256, 256, 0, 0, 0, 1.0, new int[] {0, 3, 1}, 1234);
  }

  static byte[] png() {
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
