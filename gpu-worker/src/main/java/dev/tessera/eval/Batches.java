package dev.tessera.eval;

/** Packs images into the flat float buffers NDArrays are created from. */
final class Batches {

  private Batches() {}

  /** {@code images[start .. start+b)} as one {@code [b * 1024]} buffer. */
  static float[] flatten(float[][] images, int start, int b) {
    float[] flat = new float[b * 1024];
    for (int i = 0; i < b; i++) {
      float[] img = images[start + i];
      if (img.length != 1024) {
        throw new IllegalArgumentException("image " + (start + i) + " has " + img.length + " pixels, expected 1024");
      }
      System.arraycopy(img, 0, flat, i * 1024, 1024);
    }
    return flat;
  }
}
