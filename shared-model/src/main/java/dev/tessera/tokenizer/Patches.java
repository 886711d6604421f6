package dev.tessera.tokenizer;

/**
 * Cuts a 32×32 image into its 256 non-overlapping 2×2 patches in raster order and puts them back.
 * A patch vector is {@code [top-left, top-right, bottom-left, bottom-right]}.
 */
public final class Patches {

  /** Image side in pixels. */
  public static final int IMAGE = 32;

  /** Patch side in pixels. */
  public static final int PATCH = 2;

  /** Patches per row and per column. */
  public static final int GRID = IMAGE / PATCH;

  /** Patches (tokens) per image. */
  public static final int COUNT = GRID * GRID;

  /** Values per patch vector. */
  public static final int DIM = PATCH * PATCH;

  private Patches() {}

  /**
   * Copies patch {@code index} (raster order) of {@code image} into {@code out} at {@code outOffset}.
   *
   * @param image {@code [1024]} row-major
   */
  public static void read(float[] image, int index, float[] out, int outOffset) {
    int top = (index / GRID) * PATCH;
    int left = (index % GRID) * PATCH;
    int p = top * IMAGE + left;
    out[outOffset] = image[p];
    out[outOffset + 1] = image[p + 1];
    out[outOffset + 2] = image[p + IMAGE];
    out[outOffset + 3] = image[p + IMAGE + 1];
  }

  /** Writes a patch vector {@code src[srcOffset..+4)} into patch {@code index} of {@code image}. */
  public static void write(float[] src, int srcOffset, int index, float[] image) {
    int top = (index / GRID) * PATCH;
    int left = (index % GRID) * PATCH;
    int p = top * IMAGE + left;
    image[p] = src[srcOffset];
    image[p + 1] = src[srcOffset + 1];
    image[p + IMAGE] = src[srcOffset + 2];
    image[p + IMAGE + 1] = src[srcOffset + 3];
  }

  /** All 256 patches of an image: {@code [256 * 4]}, patch-major. */
  public static float[] all(float[] image) {
    if (image.length != IMAGE * IMAGE) {
      throw new IllegalArgumentException("image has " + image.length + " pixels, expected 1024 (32x32)");
    }
    float[] out = new float[COUNT * DIM];
    for (int i = 0; i < COUNT; i++) {
      read(image, i, out, i * DIM);
    }
    return out;
  }
}
