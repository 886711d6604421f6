package dev.tessera.train;

import java.util.SplittableRandom;

/**
 * Which image the k-th sample of a run is: a seeded permutation per epoch, so that the order is a
 * pure function of (seed, k) and a resumed run sees exactly the batches it would have seen.
 */
final class DataOrder {

  private static int cachedSize = -1;
  private static long cachedKey;
  private static int[] cachedPermutation;

  private DataOrder() {}

  static synchronized int index(int size, long seed, long k) {
    long epoch = k / size;
    long key = seed * 31 + epoch;
    if (cachedSize != size || cachedKey != key) {
      cachedPermutation = permutation(size, new SplittableRandom(key));
      cachedSize = size;
      cachedKey = key;
    }
    return cachedPermutation[(int) (k % size)];
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p;
  }
}
