package dev.tessera.image;

/**
 * Encodes 8-bit RGB PNGs the way {@link GreyPng} encodes grey ones (no filter, zlib level 9, no
 * timestamps), so the same pixels always give the same bytes.
 */
public final class RgbPng {

  private RgbPng() {}

  /** Encodes interleaved RGB bytes, {@code [height * width * 3]} row-major. */
  public static byte[] encode(byte[] rgb, int width, int height) {
    return GreyPng.encode(rgb, width, height, 3);
  }

  /**
   * Encodes a channel-first float image in [-1, 1] (a VQ decoder's output), mapped to bytes as
   * torchvision's {@code save_image(normalize=True, value_range=(-1, 1))} does: clamp, shift to
   * [0, 1], {@code floor(v * 255 + 0.5)}.
   *
   * @param chw {@code [3][height * width]} planes R, G, B
   */
  public static byte[] encodeSigned(float[] chw, int width, int height) {
    int plane = width * height;
    if (chw.length != 3 * plane) {
      throw new IllegalArgumentException(chw.length + " values for a " + width + "x" + height
          + " RGB image");
    }
    byte[] rgb = new byte[3 * plane];
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        rgb[3 * i + c] = (byte) toByte(chw[c * plane + i]);
      }
    }
    return encode(rgb, width, height);
  }

  /** A [-1, 1] value as 0-255, as torchvision saves it. */
  public static int toByte(float signed) {
    float v = Math.max(0f, Math.min(1f, (signed + 1f) / 2f));
    return (int) Math.floor(v * 255f + 0.5f);
  }
}
