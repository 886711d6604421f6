package dev.tessera.worker.cli;

import dev.tessera.data.LabelledImages;
import java.util.SplittableRandom;

/** Seeded class-balanced subsets of a labelled image set. */
final class Subsets {

  private Subsets() {}

  /** {@code n} images, {@code n / 10} per class (the rest from the first classes), seeded shuffle, grouped by class. */
  static LabelledImages balanced(LabelledImages all, int n, long seed) {
    int[] order = new int[all.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = order.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    float[][] images = new float[n][];
    int[] labels = new int[n];
    int k = 0;
    for (int c = 0; c < 10; c++) {
      int want = n / 10 + (c < n % 10 ? 1 : 0);
      for (int i = 0; i < order.length && want > 0; i++) {
        if (all.labels()[order[i]] == c) {
          images[k] = all.images()[order[i]];
          labels[k++] = c;
          want--;
        }
      }
    }
    if (k != n) {
      throw new IllegalArgumentException("not enough images per class for a balanced subset of " + n);
    }
    return new LabelledImages(images, labels);
  }
}
