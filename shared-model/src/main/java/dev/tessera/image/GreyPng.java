package dev.tessera.image;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes 8-bit greyscale (and, through {@link RgbPng}, RGB) PNGs (colour type 0 or 2, no filter, zlib level 9, no timestamps or text chunks),
 * so the same pixels always give the same bytes. Readable by {@code javax.imageio} and every browser.
 */
public final class GreyPng {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private GreyPng() {}

  /**
   * Encodes a float image.
   *
   * @param pixels {@code [height * width]} row-major, values in [0, 1] (clamped; rounded to 0-255)
   */
  public static byte[] encode(float[] pixels, int width, int height) {
    if (pixels.length != width * height) {
      throw new IllegalArgumentException(pixels.length + " pixels for a " + width + "x" + height + " image");
    }
    byte[] grey = new byte[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      grey[i] = (byte) toByte(pixels[i]);
    }
    return encode(grey, width, height);
  }

  /** Encodes 8-bit grey pixels, {@code [height * width]} row-major. */
  public static byte[] encode(byte[] grey, int width, int height) {
    return encode(grey, width, height, 1);
  }

  /**
   * Encodes 8-bit samples, {@code [height * width * channels]} row-major, channels interleaved:
   * 1 = grey (colour type 0), 3 = RGB (colour type 2).
   */
  static byte[] encode(byte[] samples, int width, int height, int channels) {
    if (samples.length != width * height * channels || width <= 0 || height <= 0) {
      throw new IllegalArgumentException(samples.length + " samples for a " + width + "x" + height
          + " image with " + channels + " channel(s)");
    }
    int colourType = switch (channels) {
      case 1 -> 0;
      case 3 -> 2;
      default -> throw new IllegalArgumentException("1 or 3 channels, not " + channels);
    };
    int row = width * channels;
    // Each scanline is prefixed by its filter type, 0 (none).
    byte[] raw = new byte[height * (row + 1)];
    for (int y = 0; y < height; y++) {
      System.arraycopy(samples, y * row, raw, y * (row + 1) + 1, row);
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(SIGNATURE);
      ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
      DataOutputStream h = new DataOutputStream(ihdr);
      h.writeInt(width);
      h.writeInt(height);
      // bit depth 8, colour type, deflate, adaptive filter, no interlace
      h.write(new byte[] {8, (byte) colourType, 0, 0, 0});
      chunk(out, "IHDR", ihdr.toByteArray());
      chunk(out, "IDAT", deflate(raw));
      chunk(out, "IEND", new byte[0]);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Maps a [0, 1] value to 0-255, clamping and rounding. */
  public static int toByte(float v) {
    return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
  }

  private static byte[] deflate(byte[] raw) {
    Deflater d = new Deflater(9);
    try {
      d.setInput(raw);
      d.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
      byte[] buf = new byte[8192];
      while (!d.finished()) {
        out.write(buf, 0, d.deflate(buf));
      }
      return out.toByteArray();
    } finally {
      d.end();
    }
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    DataOutputStream o = new DataOutputStream(out);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    o.writeInt(data.length);
    o.write(t);
    o.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    o.writeInt((int) crc.getValue());
  }
}
