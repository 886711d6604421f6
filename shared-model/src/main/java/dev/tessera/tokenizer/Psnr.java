package dev.tessera.tokenizer;

/**
 * Peak signal-to-noise ratio of reconstructions, pixels in [0, 1] (peak 1):
 * {@code 10·log10(1 / MSE)} with the MSE pooled over every pixel of every image (32×32, padding included).
 */
public final class Psnr {

  private Psnr() {}

  /** Mean squared error between two equally shaped image sets. */
  public static double mse(float[][] a, float[][] b) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("image counts differ or are zero: " + a.length + " vs " + b.length);
    }
    double sum = 0;
    long n = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        double d = a[i][j] - b[i][j];
        sum += d * d;
      }
      n += a[i].length;
    }
    return sum / n;
  }

  /** PSNR in dB of {@code reconstructed} against {@code reference}. */
  public static double psnr(float[][] reference, float[][] reconstructed) {
    return 10 * Math.log10(1.0 / mse(reference, reconstructed));
  }

  /** PSNR in dB of the tokenizer's round trip (encode then decode) of {@code images}. */
  public static double roundTrip(VqTokenizer tokenizer, float[][] images) {
    return psnr(images, reconstruct(tokenizer, images));
  }

  /** Encode-then-decode of every image: {@code [n][1024]}. */
  public static float[][] reconstruct(VqTokenizer tokenizer, float[][] images) {
    float[][] out = new float[images.length][];
    for (int i = 0; i < images.length; i++) {
      out[i] = tokenizer.decode(tokenizer.encode(images[i]));
    }
    return out;
  }
}
