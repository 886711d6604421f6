package dev.tessera.tokenizer.llamagen;

import java.util.Map;

/**
 * An independent, loop-by-loop formulation of LlamaGen's VQ decoder for tiny shapes: every op written
 * from its definition (PyTorch's Conv2d cross-correlation, GroupNorm with biased variance, the
 * AttnBlock's softmax(q·k/√c) applied to v, nearest-neighbour up-sampling), in double precision, one
 * image at a time. It shares nothing with {@link VqDecoder} but the tensor names.
 */
final class NaiveVqDecoder {

  private final VqModelConfig c;
  private final Map<String, float[]> w;

  NaiveVqDecoder(VqModelConfig c, Map<String, float[]> w) {
    this.c = c;
    this.w = w;
  }

  /** codes (side × side, raster) → [3][H][W]. */
  double[][][] decode(int[] codes) {
    int side = (int) Math.round(Math.sqrt(codes.length));
    int d = c.codebookEmbedDim();
    float[] emb = w.get("quantize.embedding.weight");
    double[][][] z = new double[d][side][side];
    for (int i = 0; i < codes.length; i++) {
      double norm = 0;
      for (int k = 0; k < d; k++) {
        norm += emb[codes[i] * d + k] * (double) emb[codes[i] * d + k];
      }
      norm = c.codebookL2Norm() ? Math.max(Math.sqrt(norm), 1e-12) : 1;
      for (int k = 0; k < d; k++) {
        z[k][i / side][i % side] = emb[codes[i] * d + k] / norm;
      }
    }
    double[][][] h = conv(z, "post_quant_conv");
    h = conv(h, "decoder.conv_in");
    h = res(h, "decoder.mid.0");
    h = attn(h, "decoder.mid.1");
    h = res(h, "decoder.mid.2");
    int levels = c.chMult().size();
    for (int i = 0; i < levels; i++) {
      for (int j = 0; j <= c.numResBlocks(); j++) {
        h = res(h, "decoder.conv_blocks." + i + ".res." + j);
        if (i == 0) {
          h = attn(h, "decoder.conv_blocks." + i + ".attn." + j);
        }
      }
      if (i != levels - 1) {
        h = conv(upsample(h), "decoder.conv_blocks." + i + ".upsample.conv");
      }
    }
    return conv(silu(groupNorm(h, "decoder.norm_out")), "decoder.conv_out");
  }

  /** Conv2d with stride 1 and padding k/2 (3×3 → 1, 1×1 → 0), zero padded. */
  double[][][] conv(double[][][] x, String name) {
    float[] wt = w.get(name + ".weight");
    float[] bias = w.get(name + ".bias");
    int in = x.length;
    int out = bias.length;
    int k = (int) Math.round(Math.sqrt(wt.length / (double) (out * in)));
    int pad = k / 2;
    int hh = x[0].length;
    int ww = x[0][0].length;
    double[][][] y = new double[out][hh][ww];
    for (int o = 0; o < out; o++) {
      for (int r = 0; r < hh; r++) {
        for (int s = 0; s < ww; s++) {
          double acc = bias[o];
          for (int ci = 0; ci < in; ci++) {
            for (int dy = 0; dy < k; dy++) {
              for (int dx = 0; dx < k; dx++) {
                int yy = r + dy - pad;
                int xx = s + dx - pad;
                if (yy >= 0 && yy < hh && xx >= 0 && xx < ww) {
                  acc += wt[((o * in + ci) * k + dy) * k + dx] * x[ci][yy][xx];
                }
              }
            }
          }
          y[o][r][s] = acc;
        }
      }
    }
    return y;
  }

  double[][][] groupNorm(double[][][] x, String name) {
    float[] gamma = w.get(name + ".weight");
    float[] beta = w.get(name + ".bias");
    int ch = x.length;
    int per = ch / VqModelConfig.GROUPS;
    double[][][] y = new double[ch][x[0].length][x[0][0].length];
    for (int g = 0; g < VqModelConfig.GROUPS; g++) {
      double sum = 0;
      int n = 0;
      for (int ci = g * per; ci < (g + 1) * per; ci++) {
        for (double[] row : x[ci]) {
          for (double v : row) {
            sum += v;
            n++;
          }
        }
      }
      double mean = sum / n;
      double sq = 0;
      for (int ci = g * per; ci < (g + 1) * per; ci++) {
        for (double[] row : x[ci]) {
          for (double v : row) {
            sq += (v - mean) * (v - mean);
          }
        }
      }
      double inv = 1 / Math.sqrt(sq / n + VqModelConfig.NORM_EPS);
      for (int ci = g * per; ci < (g + 1) * per; ci++) {
        for (int r = 0; r < x[ci].length; r++) {
          for (int s = 0; s < x[ci][r].length; s++) {
            y[ci][r][s] = (x[ci][r][s] - mean) * inv * gamma[ci] + beta[ci];
          }
        }
      }
    }
    return y;
  }

  static double[][][] silu(double[][][] x) {
    double[][][] y = new double[x.length][x[0].length][x[0][0].length];
    for (int ci = 0; ci < x.length; ci++) {
      for (int r = 0; r < x[ci].length; r++) {
        for (int s = 0; s < x[ci][r].length; s++) {
          double v = x[ci][r][s];
          y[ci][r][s] = v / (1 + Math.exp(-v));
        }
      }
    }
    return y;
  }

  static double[][][] upsample(double[][][] x) {
    double[][][] y = new double[x.length][2 * x[0].length][2 * x[0][0].length];
    for (int ci = 0; ci < x.length; ci++) {
      for (int r = 0; r < y[ci].length; r++) {
        for (int s = 0; s < y[ci][r].length; s++) {
          y[ci][r][s] = x[ci][r / 2][s / 2];
        }
      }
    }
    return y;
  }

  static double[][][] add(double[][][] a, double[][][] b) {
    double[][][] y = new double[a.length][a[0].length][a[0][0].length];
    for (int ci = 0; ci < a.length; ci++) {
      for (int r = 0; r < a[ci].length; r++) {
        for (int s = 0; s < a[ci][r].length; s++) {
          y[ci][r][s] = a[ci][r][s] + b[ci][r][s];
        }
      }
    }
    return y;
  }

  double[][][] res(double[][][] x, String p) {
    double[][][] h = conv(silu(groupNorm(x, p + ".norm1")), p + ".conv1");
    h = conv(silu(groupNorm(h, p + ".norm2")), p + ".conv2");
    double[][][] skip = w.containsKey(p + ".nin_shortcut.weight") ? conv(x, p + ".nin_shortcut") : x;
    return add(skip, h);
  }

  /** out[c][i] = Σ_j softmax_j(Σ_c' q[c'][i] k[c'][j] / √C) · v[c][j], then proj_out, plus x. */
  double[][][] attn(double[][][] x, String p) {
    double[][][] h = groupNorm(x, p + ".norm");
    double[][][] q = conv(h, p + ".q");
    double[][][] k = conv(h, p + ".k");
    double[][][] v = conv(h, p + ".v");
    int ch = x.length;
    int ww = x[0][0].length;
    int n = x[0].length * ww;
    double[][][] o = new double[ch][x[0].length][ww];
    for (int i = 0; i < n; i++) {
      double[] logits = new double[n];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        double dot = 0;
        for (int cc = 0; cc < ch; cc++) {
          dot += q[cc][i / ww][i % ww] * k[cc][j / ww][j % ww];
        }
        logits[j] = dot / Math.sqrt(ch);
        max = Math.max(max, logits[j]);
      }
      double z = 0;
      for (int j = 0; j < n; j++) {
        logits[j] = Math.exp(logits[j] - max);
        z += logits[j];
      }
      for (int cc = 0; cc < ch; cc++) {
        double acc = 0;
        for (int j = 0; j < n; j++) {
          acc += logits[j] / z * v[cc][j / ww][j % ww];
        }
        o[cc][i / ww][i % ww] = acc;
      }
    }
    return add(x, conv(o, p + ".proj_out"));
  }
}
