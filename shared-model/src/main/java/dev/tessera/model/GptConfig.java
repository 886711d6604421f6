package dev.tessera.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Sizes of a LlamaGen class-conditional GPT (c2i), from tiny test models to LlamaGen-B.
 *
 * @param dim model width
 * @param nLayer number of transformer blocks
 * @param nHead attention heads (no GQA: kv heads = heads)
 * @param vocabSize VQ codebook size
 * @param numClasses real classes; the class table has one more row, the null class, for CFG
 * @param gridSide token grid side (16 → 256 image tokens)
 * @param ffnHidden SwiGLU hidden width; 0 means LlamaGen's rule {@code find_multiple(int(8*dim/3), 256)}
 * @param parallelTokens PAR's n (tokens per parallel step); 1 for a raster-order model
 * @param normEps RMSNorm epsilon
 * @param ropeBase RoPE base
 */
public record GptConfig(
    @JsonProperty("dim") int dim,
    @JsonProperty("n_layer") int nLayer,
    @JsonProperty("n_head") int nHead,
    @JsonProperty("vocab_size") int vocabSize,
    @JsonProperty("num_classes") int numClasses,
    @JsonProperty("grid_side") int gridSide,
    @JsonProperty("ffn_hidden") int ffnHidden,
    @JsonProperty("parallel_tokens") int parallelTokens,
    @JsonProperty("norm_eps") double normEps,
    @JsonProperty("rope_base") double ropeBase) {

  /** LlamaGen's c2i prefix length: one class token. */
  public static final int CLS_TOKEN_NUM = 1;

  @JsonCreator
  public GptConfig {
    require(dim > 0 && nLayer > 0 && nHead > 0, "dim, n_layer and n_head must be positive");
    require(dim % nHead == 0, "dim " + dim + " is not divisible by n_head " + nHead);
    require((dim / nHead) % 4 == 0, "head_dim must be a multiple of 4 for 2D RoPE");
    require(vocabSize > 1 && numClasses > 0 && gridSide > 0, "vocab, classes and grid must be positive");
    require(parallelTokens >= 1, "parallel_tokens must be >= 1");
    if (parallelTokens > 1) {
      int m = (int) Math.round(Math.sqrt(parallelTokens));
      require(m * m == parallelTokens && gridSide % m == 0,
          "parallel_tokens must be a square M*M with grid_side divisible by M");
    }
    if (ffnHidden <= 0) {
      ffnHidden = findMultiple((int) (2 * 4 * dim / 3.0), 256);
    }
    if (normEps <= 0) {
      normEps = 1e-5;
    }
    if (ropeBase <= 0) {
      ropeBase = 10000;
    }
  }

  /** A raster-order model with LlamaGen's defaults for the derived fields. */
  public static GptConfig of(int dim, int nLayer, int nHead, int vocab, int classes, int gridSide) {
    return new GptConfig(dim, nLayer, nHead, vocab, classes, gridSide, 0, 1, 1e-5, 10000);
  }

  /** The same model trained in PAR order with n tokens per parallel step. */
  public GptConfig withParallelTokens(int n) {
    return new GptConfig(dim, nLayer, nHead, vocabSize, numClasses, gridSide, ffnHidden, n, normEps,
        ropeBase);
  }

  /** The same sizes with a different number of layers (a drafter has one). */
  public GptConfig withLayers(int layers) {
    return new GptConfig(dim, layers, nHead, vocabSize, numClasses, gridSide, ffnHidden,
        parallelTokens, normEps, ropeBase);
  }

  @JsonIgnore
  public int headDim() {
    return dim / nHead;
  }

  /** Image tokens per sequence. */
  @JsonIgnore
  public int imageTokens() {
    return gridSide * gridSide;
  }

  /** Row of the null (unconditional) class in the class table. */
  @JsonIgnore
  public int nullClass() {
    return numClasses;
  }

  /** PAR transition tokens (n−1), zero for raster models. */
  @JsonIgnore
  public int transitionTokens() {
    return parallelTokens - 1;
  }

  /**
   * Positions a full sequence occupies in the KV cache. Raster: the class token plus N−1 fed tokens
   * (the last is never fed). PAR: class, n initial tokens, n−1 transition tokens, then every group but
   * the last: 1 + n + (n−1) + (N−2n). Both are N.
   */
  @JsonIgnore
  public int sequenceLength() {
    return imageTokens();
  }

  /** Number of parameters. */
  @JsonIgnore
  public long parameterCount() {
    long perLayer = 2L * dim + 3L * dim * dim + (long) dim * dim + 3L * ffnHidden * dim;
    return (long) (numClasses + 1) * dim + (long) vocabSize * dim + nLayer * perLayer + dim
        + (long) vocabSize * dim + (long) transitionTokens() * dim;
  }

  static int findMultiple(int n, int k) {
    return n % k == 0 ? n : n + k - (n % k);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
