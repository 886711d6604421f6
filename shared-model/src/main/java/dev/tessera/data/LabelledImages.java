package dev.tessera.data;

/**
 * Images with their class labels.
 *
 * @param images {@code [n][1024]}: 32×32 row-major, values in [0, 1]
 * @param labels {@code [n]}: class ids in {@code [0, FashionMnist.NUM_CLASSES)}
 */
public record LabelledImages(float[][] images, int[] labels) {

  /** Checks that images and labels pair up and that every image is 32×32. */
  public LabelledImages {
    if (images.length != labels.length) {
      throw new IllegalArgumentException(images.length + " images but " + labels.length + " labels");
    }
    for (int i = 0; i < images.length; i++) {
      if (images[i].length != FashionMnist.PIXELS) {
        throw new IllegalArgumentException("image " + i + " has " + images[i].length + " pixels, expected 1024");
      }
    }
  }

  /** The number of images. */
  public int size() {
    return images.length;
  }

  /** The first {@code n} images (or all, if fewer). */
  public LabelledImages head(int n) {
    int m = Math.min(n, size());
    return new LabelledImages(java.util.Arrays.copyOf(images, m), java.util.Arrays.copyOf(labels, m));
  }
}
