package dev.tessera.tokenizer.llamagen;

import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors the VQ decoder path needs, under LlamaGen's {@code VQModel} state-dict names: the
 * codebook, {@code post_quant_conv} and every {@code decoder.*} parameter. Written from the module
 * tree of {@code vq_model.py} (a ResnetBlock is norm1, conv1, norm2, conv2 and a 1×1 nin_shortcut
 * when the width changes; an AttnBlock is norm, q, k, v, proj_out as 1×1 convs).
 */
public final class VqDecoderShapes {

  private VqDecoderShapes() {}

  /** Tensors of a checkpoint the decoder does not use (the encoder side and the usage buffer). */
  public static boolean isUnused(String name) {
    return name.startsWith("encoder.") || name.startsWith("quant_conv.")
        || name.equals("quantize.codebook_used");
  }

  /** Every tensor the decoder needs, by name, in forward order. */
  public static Map<String, Shape> of(VqModelConfig c) {
    Map<String, Shape> m = new LinkedHashMap<>();
    m.put("quantize.embedding.weight", new Shape(c.codebookSize(), c.codebookEmbedDim()));
    conv(m, "post_quant_conv", c.zChannels(), c.codebookEmbedDim(), 1);
    int blockIn = c.coarsestChannels();
    conv(m, "decoder.conv_in", blockIn, c.zChannels(), 3);
    res(m, "decoder.mid.0", blockIn, blockIn);
    attn(m, "decoder.mid.1", blockIn);
    res(m, "decoder.mid.2", blockIn, blockIn);
    int levels = c.chMult().size();
    for (int i = 0; i < levels; i++) {
      int level = levels - 1 - i;
      int blockOut = c.ch() * c.chMult().get(level);
      String p = "decoder.conv_blocks." + i + ".";
      for (int j = 0; j <= c.numResBlocks(); j++) {
        res(m, p + "res." + j, blockIn, blockOut);
        blockIn = blockOut;
        if (level == levels - 1) {
          attn(m, p + "attn." + j, blockIn);
        }
      }
      if (level != 0) {
        conv(m, p + "upsample.conv", blockIn, blockIn, 3);
      }
    }
    norm(m, "decoder.norm_out", blockIn);
    conv(m, "decoder.conv_out", c.outChannels(), blockIn, 3);
    return m;
  }

  static void conv(Map<String, Shape> m, String p, int out, int in, int k) {
    m.put(p + ".weight", new Shape(out, in, k, k));
    m.put(p + ".bias", new Shape(out));
  }

  static void norm(Map<String, Shape> m, String p, int channels) {
    m.put(p + ".weight", new Shape(channels));
    m.put(p + ".bias", new Shape(channels));
  }

  static void res(Map<String, Shape> m, String p, int in, int out) {
    norm(m, p + ".norm1", in);
    conv(m, p + ".conv1", out, in, 3);
    norm(m, p + ".norm2", out);
    conv(m, p + ".conv2", out, out, 3);
    if (in != out) {
      conv(m, p + ".nin_shortcut", out, in, 1);
    }
  }

  static void attn(Map<String, Shape> m, String p, int channels) {
    norm(m, p + ".norm", channels);
    for (String x : new String[] {"q", "k", "v", "proj_out"}) {
      conv(m, p + "." + x, channels, channels, 1);
    }
  }
}
