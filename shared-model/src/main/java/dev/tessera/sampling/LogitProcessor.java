package dev.tessera.sampling;

import dev.tessera.contract.SamplingParams;
import java.util.Arrays;

/**
 * LlamaGen's logit processing, in its order: CFG combine on raw logits, temperature, top-k (ties kept),
 * top-p (nucleus, keeps at least one token), softmax. All in fp32/fp64 on the host.
 */
public final class LogitProcessor {

  private LogitProcessor() {}

  /** {@code uncond + s·(cond − uncond)}; with no uncond stream, the cond logits. */
  public static float[] cfg(float[] cond, float[] uncond, double scale) {
    if (uncond == null) {
      return cond.clone();
    }
    float[] out = new float[cond.length];
    float s = (float) scale;
    for (int i = 0; i < out.length; i++) {
      out[i] = uncond[i] + s * (cond[i] - uncond[i]);
    }
    return out;
  }

  /**
   * The processed distribution p over the vocabulary (filtered tokens get exactly 0). For greedy
   * params, a one-hot on the argmax.
   */
  public static double[] probabilities(float[] logits, SamplingParams params) {
    int v = logits.length;
    double[] p = new double[v];
    if (params.greedy()) {
      p[argmax(logits)] = 1.0;
      return p;
    }
    double t = Math.max(params.temperature(), 1e-5);
    double[] z = new double[v];
    for (int i = 0; i < v; i++) {
      z[i] = logits[i] / t;
    }
    if (params.topK() > 0 && params.topK() < v) {
      double[] sorted = z.clone();
      Arrays.sort(sorted);
      double kth = sorted[v - params.topK()];
      for (int i = 0; i < v; i++) {
        if (z[i] < kth) {
          z[i] = Double.NEGATIVE_INFINITY;
        }
      }
    }
    if (params.topP() < 1.0) {
      applyTopP(z, params.topP());
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double x : z) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (int i = 0; i < v; i++) {
      p[i] = z[i] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(z[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < v; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /** Removes tokens whose cumulative probability before them (descending order) exceeds topP. */
  static void applyTopP(double[] z, double topP) {
    int v = z.length;
    Integer[] order = new Integer[v];
    for (int i = 0; i < v; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(z[b], z[a]));
    double max = z[order[0]];
    double sum = 0;
    double[] e = new double[v];
    for (int i = 0; i < v; i++) {
      e[i] = z[order[i]] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(z[order[i]] - max);
      sum += e[i];
    }
    double cumulative = 0;
    for (int i = 0; i < v; i++) {
      if (i > 0 && cumulative > topP) {
        z[order[i]] = Double.NEGATIVE_INFINITY;
      }
      cumulative += e[i] / sum;
    }
  }

  /** Index of the largest logit (the first on ties). */
  public static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
