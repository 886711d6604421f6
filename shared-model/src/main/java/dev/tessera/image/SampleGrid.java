package dev.tessera.image;

/**
 * A class-by-class grid of 32×32 images: row {@code c} holds the first images labelled {@code c}, in the
 * order given, upscaled by nearest neighbour and separated by mid-grey gutters so black backgrounds stay
 * apart. Rows with fewer images are left grey at the end.
 */
public final class SampleGrid {

  /** Gutter between cells and around the grid, in output pixels. */
  public static final int GUTTER = 4;

  /** Grey level of the gutters. */
  public static final float GUTTER_GREY = 0.5f;

  private static final int SIDE = 32;

  private SampleGrid() {}

  /**
   * Renders the grid as a deterministic 8-bit greyscale PNG.
   *
   * @param images {@code [n][1024]} in [0, 1]
   * @param labels {@code [n]} row of each image, in {@code [0, rows)}; others are skipped
   * @param rows number of rows (classes)
   * @param columns images per row
   * @param scale upscaling factor (1 to 16)
   */
  public static byte[] png(float[][] images, int[] labels, int rows, int columns, int scale) {
    if (images.length != labels.length) {
      throw new IllegalArgumentException(images.length + " images but " + labels.length + " labels");
    }
    if (rows < 1 || columns < 1 || scale < 1 || scale > 16) {
      throw new IllegalArgumentException("need rows >= 1, columns >= 1, scale in [1, 16]; got "
          + rows + ", " + columns + ", " + scale);
    }
    int cell = SIDE * scale;
    int width = columns * cell + (columns + 1) * GUTTER;
    int height = rows * cell + (rows + 1) * GUTTER;
    float[] canvas = new float[width * height];
    java.util.Arrays.fill(canvas, GUTTER_GREY);
    int[] filled = new int[rows];
    for (int i = 0; i < images.length; i++) {
      int r = labels[i];
      if (r < 0 || r >= rows || filled[r] >= columns) {
        continue;
      }
      int top = GUTTER + r * (cell + GUTTER);
      int left = GUTTER + filled[r]++ * (cell + GUTTER);
      for (int y = 0; y < cell; y++) {
        for (int x = 0; x < cell; x++) {
          canvas[(top + y) * width + left + x] = images[i][(y / scale) * SIDE + x / scale];
        }
      }
    }
    return GreyPng.encode(canvas, width, height);
  }
}
