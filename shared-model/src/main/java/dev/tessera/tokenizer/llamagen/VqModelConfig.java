package dev.tessera.tokenizer.llamagen;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Sizes of a LlamaGen VQ image tokenizer ({@code tokenizer/tokenizer_image/vq_model.py}'s
 * {@code ModelArgs}); {@link #vq16()} is {@code VQ_16}, the {@code vq_ds16_c2i} tokenizer.
 *
 * @param codebookSize codes (16384)
 * @param codebookEmbedDim width of a code (8)
 * @param codebookL2Norm whether codes are l2-normalised before use (true)
 * @param zChannels latent channels between post_quant_conv and the decoder (256)
 * @param ch base channel count (128)
 * @param chMult channel multipliers per resolution, finest first ({@code [1, 1, 2, 2, 4]})
 * @param numResBlocks residual blocks per resolution in the encoder; the decoder has one more (2)
 * @param outChannels image channels (3, RGB)
 */
public record VqModelConfig(
    @JsonProperty("codebook_size") int codebookSize,
    @JsonProperty("codebook_embed_dim") int codebookEmbedDim,
    @JsonProperty("codebook_l2_norm") boolean codebookL2Norm,
    @JsonProperty("z_channels") int zChannels,
    @JsonProperty("ch") int ch,
    @JsonProperty("ch_mult") List<Integer> chMult,
    @JsonProperty("num_res_blocks") int numResBlocks,
    @JsonProperty("out_channels") int outChannels) {

  /** GroupNorm's groups in every Normalize of the reference. */
  public static final int GROUPS = 32;

  /** GroupNorm's epsilon in the reference. */
  public static final float NORM_EPS = 1e-6f;

  @JsonCreator
  public VqModelConfig {
    chMult = List.copyOf(chMult);
    if (codebookSize < 2 || codebookEmbedDim < 1 || zChannels < 1 || ch < 1 || chMult.isEmpty()
        || numResBlocks < 1) {
      throw new IllegalArgumentException("VQ sizes must be positive: " + this);
    }
    if (outChannels != 3) {
      throw new IllegalArgumentException("out_channels must be 3 (RGB), was " + outChannels);
    }
    for (int m : chMult) {
      if (m < 1 || (ch * m) % GROUPS != 0) {
        throw new IllegalArgumentException("every ch * ch_mult must be a positive multiple of "
            + GROUPS + " (GroupNorm's groups); ch " + ch + ", ch_mult " + chMult);
      }
    }
  }

  /** LlamaGen's VQ-16: 16384 codes of 8 values, 16× down-sampling. */
  public static VqModelConfig vq16() {
    return new VqModelConfig(16384, 8, true, 256, 128, List.of(1, 1, 2, 2, 4), 2, 3);
  }

  /** Pixels per token side: 2^(levels − 1). */
  @JsonIgnore
  public int downsampleFactor() {
    return 1 << (chMult.size() - 1);
  }

  /** Channels at the coarsest resolution (the decoder's conv_in output). */
  @JsonIgnore
  public int coarsestChannels() {
    return ch * chMult.get(chMult.size() - 1);
  }
}
