package dev.tessera.tokenizer.llamagen;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import dev.tessera.model.WeightsIO;
import dev.tessera.tokenizer.ImageDecoder;
import java.io.IOException;
import java.nio.file.Path;
import dev.tessera.image.RgbPng;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * LlamaGen's VQ image decoder ({@code VQModel.decode_code}) in DJL: codes → codebook rows
 * (l2-normalised when the config says so) → {@code post_quant_conv} → conv_in → mid (res, attention,
 * res) → per resolution, coarsest first, {@code num_res_blocks + 1} residual blocks (with attention at
 * the coarsest) and a nearest-neighbour 2× up-sample with a 3×3 conv → GroupNorm(32, 1e-6), SiLU →
 * conv_out: an image in [-1, 1], channel first. Drive it from one thread (the engine's).
 */
public final class VqDecoder implements ImageDecoder, AutoCloseable {

  private final VqModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> weights;
  private final Map<String, NDArray> norms4d = new HashMap<>(); // GroupNorm affine as [1, C, 1, 1]
  private final float[] codebook; // [K * D], rows as the decoder uses them

  private VqDecoder(VqModelConfig config, NDManager manager, Map<String, NDArray> weights) {
    this.config = config;
    this.manager = manager;
    this.weights = weights;
    Map<String, Shape> expected = VqDecoderShapes.of(config);
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      NDArray a = weights.get(e.getKey());
      if (a == null || !a.getShape().equals(e.getValue())) {
        throw new IllegalArgumentException("VQ decoder tensor '" + e.getKey() + "' is "
            + (a == null ? "missing" : a.getShape().toString()) + ", expected " + e.getValue());
      }
      if (e.getValue().dimension() == 1 && e.getKey().contains("norm")) {
        norms4d.put(e.getKey(), a.reshape(1, e.getValue().get(0), 1, 1));
      }
    }
    this.codebook = codebookRows(weights.get("quantize.embedding.weight").toFloatArray(),
        config.codebookEmbedDim(), config.codebookL2Norm());
  }

  /**
   * A decoder over checked weights (names and shapes of {@link VqDecoderShapes#of}); it owns
   * {@code manager} from now on and closes it.
   */
  public static VqDecoder of(VqModelConfig config, NDManager manager, Map<String, NDArray> weights) {
    return new VqDecoder(config, manager, weights);
  }

  /**
   * Loads the decoder's tensors from a VQ checkpoint converted to safetensors (single or sharded);
   * the encoder side and the usage buffer are skipped.
   */
  public static VqDecoder load(VqModelConfig config, Path file) throws IOException {
    NDManager manager = NDManager.newBaseManager();
    try {
      return of(config, manager, WeightsIO.load(manager, file, VqDecoderShapes.of(config),
          VqDecoderShapes::isUnused));
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** F.normalize(p=2, dim=-1, eps=1e-12) per row when {@code l2}, else a copy. */
  static float[] codebookRows(float[] rows, int dim, boolean l2) {
    float[] out = rows.clone();
    if (l2) {
      for (int r = 0; r < out.length / dim; r++) {
        double sq = 0;
        for (int d = 0; d < dim; d++) {
          sq += (double) out[r * dim + d] * out[r * dim + d];
        }
        float n = (float) Math.max(Math.sqrt(sq), 1e-12);
        for (int d = 0; d < dim; d++) {
          out[r * dim + d] /= n;
        }
      }
    }
    return out;
  }

  /** The codebook rows as the decoder uses them (l2-normalised when configured), {@code [K * D]}. */
  public float[] codebookRows() {
    return codebook.clone();
  }

  public VqModelConfig config() {
    return config;
  }

  /**
   * Decodes square token grids (raster order) to images.
   *
   * @param codes {@code [B][side * side]}
   * @return {@code [B][3 * H * W]} channel-first values in about [-1, 1], H = W = side × 2^(levels−1)
   */
  public float[][] decode(int[][] codes) {
    int side = (int) Math.round(Math.sqrt(codes[0].length));
    try (NDManager scope = manager.newSubManager()) {
      NDArray img = decodeLatent(quantized(scope, codes, side));
      float[] flat = img.toFloatArray();
      int per = flat.length / codes.length;
      float[][] out = new float[codes.length][];
      for (int b = 0; b < codes.length; b++) {
        out[b] = java.util.Arrays.copyOfRange(flat, b * per, (b + 1) * per);
      }
      return out;
    }
  }

  @Override
  public int pixelsPerToken() {
    return config.downsampleFactor();
  }

  @Override
  public int channels() {
    return config.outChannels();
  }

  /** One token grid as an RGB PNG (torchvision's mapping of [-1, 1] to bytes). */
  @Override
  public byte[] toPng(int[] codes) {
    int side = (int) Math.round(Math.sqrt(codes.length)) * config.downsampleFactor();
    return RgbPng.encodeSigned(decode(new int[][] {codes})[0], side, side);
  }

  /** {@code get_codebook_entry}: [B, D, side, side] from the codebook rows. */
  NDArray quantized(NDManager scope, int[][] codes, int side) {
    int d = config.codebookEmbedDim();
    int n = side * side;
    float[] z = new float[codes.length * d * n];
    for (int b = 0; b < codes.length; b++) {
      if (codes[b].length != n) {
        throw new IllegalArgumentException("every grid needs " + n + " codes, image " + b + " has "
            + codes[b].length);
      }
      for (int i = 0; i < n; i++) {
        int q = codes[b][i];
        if (q < 0 || q >= config.codebookSize()) {
          throw new IllegalArgumentException("code " + q + " at " + i + " outside [0, "
              + config.codebookSize() + ")");
        }
        for (int k = 0; k < d; k++) {
          z[(b * d + k) * n + i] = codebook[q * d + k];
        }
      }
    }
    return scope.create(z, new Shape(codes.length, d, side, side));
  }

  /** {@code VQModel.decode}: post_quant_conv and the decoder. The input is closed. */
  NDArray decodeLatent(NDArray z) {
    NDArray h = next(z, x -> conv(x, "post_quant_conv", 0));
    h = next(h, x -> conv(x, "decoder.conv_in", 1));
    h = next(h, x -> res(x, "decoder.mid.0"));
    h = next(h, x -> attn(x, "decoder.mid.1"));
    h = next(h, x -> res(x, "decoder.mid.2"));
    int levels = config.chMult().size();
    for (int i = 0; i < levels; i++) {
      String p = "decoder.conv_blocks." + i + ".";
      for (int j = 0; j <= config.numResBlocks(); j++) {
        String r = p + "res." + j;
        h = next(h, x -> res(x, r));
        if (i == 0) {
          String a = p + "attn." + j;
          h = next(h, x -> attn(x, a));
        }
      }
      if (i != levels - 1) {
        h = next(h, x -> conv(upsample(x), p + "upsample.conv", 1));
      }
    }
    return next(h, x -> conv(silu(groupNorm(x, "decoder.norm_out")), "decoder.conv_out", 1));
  }

  /**
   * Applies one block with its temporaries in a throw-away manager, keeps the result in the input's
   * manager and closes the input: at most two activations of the stage stay alive.
   */
  private static NDArray next(NDArray x, UnaryOperator<NDArray> block) {
    NDManager parent = x.getManager();
    NDArray y;
    try (NDManager tmp = parent.newSubManager()) {
      x.tempAttach(tmp);
      y = block.apply(x);
      y.attach(parent);
    }
    x.close();
    return y;
  }

  private NDArray conv(NDArray x, String name, int pad) {
    return Conv2d.conv2d(x, weights.get(name + ".weight"), weights.get(name + ".bias"),
        new Shape(1, 1), new Shape(pad, pad)).singletonOrThrow();
  }

  /** GroupNorm(32 groups, eps 1e-6, affine): biased variance over each group's channels and pixels. */
  NDArray groupNorm(NDArray x, String name) {
    Shape s = x.getShape();
    NDArray g = x.reshape(s.get(0), VqModelConfig.GROUPS, -1);
    NDArray centered = g.sub(g.mean(new int[] {2}, true));
    NDArray var = centered.square().mean(new int[] {2}, true);
    NDArray normed = centered.div(var.add(VqModelConfig.NORM_EPS).sqrt()).reshape(s);
    return normed.mul(norms4d.get(name + ".weight")).add(norms4d.get(name + ".bias"));
  }

  static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /** F.interpolate(scale_factor=2, mode="nearest") on [B, C, H, W]. */
  static NDArray upsample(NDArray x) {
    return x.repeat(2, 2).repeat(3, 2);
  }

  private NDArray res(NDArray x, String p) {
    NDArray h = conv(silu(groupNorm(x, p + ".norm1")), p + ".conv1", 1);
    h = conv(silu(groupNorm(h, p + ".norm2")), p + ".conv2", 1);
    NDArray skip = weights.containsKey(p + ".nin_shortcut.weight") ? conv(x, p + ".nin_shortcut", 0)
        : x;
    return skip.add(h);
  }

  private NDArray attn(NDArray x, String p) {
    NDArray h = groupNorm(x, p + ".norm");
    Shape s = x.getShape();
    long b = s.get(0);
    long c = s.get(1);
    long hw = s.get(2) * s.get(3);
    NDArray q = conv(h, p + ".q", 0).reshape(b, c, hw).transpose(0, 2, 1); // b, hw, c
    NDArray k = conv(h, p + ".k", 0).reshape(b, c, hw); // b, c, hw
    NDArray v = conv(h, p + ".v", 0).reshape(b, c, hw);
    NDArray w = q.matMul(k).mul((float) Math.pow(c, -0.5)).softmax(2); // b, hw(q), hw(k)
    NDArray o = v.matMul(w.transpose(0, 2, 1)).reshape(s); // b, c, hw(q)
    return x.add(conv(o, p + ".proj_out", 0));
  }

  @Override
  public void close() {
    manager.close();
  }
}
