package dev.tessera.tokenizer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a codebook was (or is to be) fitted; stored as {@code config.json} beside the codebook.
 *
 * @param codebookSize number of codes (the vocabulary size), 2 to 65536
 * @param seed seed of the patch subsample and of the k-means++ initialisation
 * @param samplePatches how many training patches k-means sees (drawn uniformly over images and positions)
 * @param maxIterations Lloyd iterations at most (stops earlier when no assignment changes)
 */
public record VqConfig(
    @JsonProperty("codebook_size") int codebookSize,
    @JsonProperty("seed") long seed,
    @JsonProperty("sample_patches") int samplePatches,
    @JsonProperty("max_iterations") int maxIterations) {

  /** Default patch subsample: 1M of the 15.4M training patches. */
  public static final int DEFAULT_SAMPLE_PATCHES = 1_000_000;

  /** Default Lloyd iteration cap. */
  public static final int DEFAULT_MAX_ITERATIONS = 50;

  /** Validates the ranges. */
  public VqConfig {
    if (codebookSize < 2 || codebookSize > 65_536) {
      throw new IllegalArgumentException("codebook_size must be in [2, 65536], got " + codebookSize);
    }
    if (samplePatches < codebookSize) {
      throw new IllegalArgumentException(
          "sample_patches (" + samplePatches + ") must be at least codebook_size (" + codebookSize + ")");
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("max_iterations must be at least 1, got " + maxIterations);
    }
  }

  /** The defaults for a codebook size and seed. */
  public static VqConfig of(int codebookSize, long seed) {
    return new VqConfig(codebookSize, seed, DEFAULT_SAMPLE_PATCHES, DEFAULT_MAX_ITERATIONS);
  }

  /** Fixed facts of the format, written to {@code config.json} for readers in other languages. */
  @JsonProperty("type")
  public String type() {
    return "vq-kmeans-2x2";
  }

  /** Image side (32). */
  @JsonProperty("image_size")
  public int imageSize() {
    return Patches.IMAGE;
  }

  /** Patch side (2). */
  @JsonProperty("patch_size")
  public int patchSize() {
    return Patches.PATCH;
  }

  /** Token grid side (16). */
  @JsonProperty("grid_size")
  public int gridSize() {
    return Patches.GRID;
  }

  /** Token order in a sequence. */
  @JsonProperty("token_order")
  public String tokenOrder() {
    return "raster";
  }

  /** Pixel scale of the codebook vectors. */
  @JsonProperty("pixel_range")
  public float[] pixelRange() {
    return new float[] {0f, 1f};
  }
}
