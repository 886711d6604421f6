package dev.tessera.tokenizer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.data.SafeTensors;
import dev.tessera.data.Tensor;
import dev.tessera.image.GreyPng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A VQ tokenizer over 2×2 patches: a 32×32 image in [0, 1] becomes 256 tokens in raster order (a 16×16
 * grid), each the index of the nearest codebook vector (L2) to its patch; decoding pastes the codebook
 * vectors back. Immutable and thread-safe.
 *
 * <p>Codes are numbered by ascending mean intensity (then lexicographically), so code 0 is the darkest.
 */
public final class VqTokenizer implements ImageDecoder {

  /** Codebook file name inside a tokenizer folder. */
  public static final String WEIGHTS_FILE = "codebook.safetensors";

  /** Config file name inside a tokenizer folder. */
  public static final String CONFIG_FILE = "config.json";

  /** Tensor name of the codebook inside the safetensors file. */
  public static final String CODEBOOK_TENSOR = "codebook";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final VqConfig config;
  private final float[] flat; // [K * 4] codebook, code-major
  private final float[] norms; // [K] squared norms of the codes

  private VqTokenizer(VqConfig config, float[][] codebook) {
    if (codebook.length != config.codebookSize()) {
      throw new IllegalArgumentException(
          "codebook has " + codebook.length + " rows, config says " + config.codebookSize());
    }
    this.config = config;
    this.flat = new float[codebook.length * Patches.DIM];
    for (int q = 0; q < codebook.length; q++) {
      if (codebook[q].length != Patches.DIM) {
        throw new IllegalArgumentException("codebook row " + q + " has " + codebook[q].length + " values, expected 4");
      }
      System.arraycopy(codebook[q], 0, flat, q * Patches.DIM, Patches.DIM);
    }
    this.norms = KMeans.norms(flat, Patches.DIM, codebook.length);
  }

  /** Wraps an existing codebook ({@code [K][4]}, rows used as given). */
  public static VqTokenizer of(VqConfig config, float[][] codebook) {
    return new VqTokenizer(config, codebook);
  }

  /**
   * Fits a codebook by k-means on a seeded uniform subsample of the patches of {@code images}.
   *
   * @param images {@code [n][1024]} training images in [0, 1]
   * @param log progress lines (e.g. {@code System.out::println})
   */
  public static VqTokenizer fit(float[][] images, VqConfig config, Consumer<String> log) {
    SplittableRandom rnd = new SplittableRandom(config.seed());
    int m = config.samplePatches();
    float[] sample = new float[m * Patches.DIM]; // [m * 4]
    for (int i = 0; i < m; i++) {
      Patches.read(images[rnd.nextInt(images.length)], rnd.nextInt(Patches.COUNT), sample, i * Patches.DIM);
    }
    float[][] c = KMeans.fit(sample, Patches.DIM, config.codebookSize(), config.maxIterations(), rnd.nextLong(), log);
    Arrays.sort(c, Comparator.<float[]>comparingDouble(v -> v[0] + v[1] + v[2] + v[3]).thenComparing(Arrays::compare));
    return new VqTokenizer(config, c);
  }

  /** The number of codes. */
  public int vocabSize() {
    return config.codebookSize();
  }

  /** How this codebook was fitted. */
  public VqConfig config() {
    return config;
  }

  /** A copy of the codebook, {@code [K][4]} (patch order top-left, top-right, bottom-left, bottom-right). */
  public float[][] codebook() {
    float[][] out = new float[vocabSize()][];
    for (int q = 0; q < out.length; q++) {
      out[q] = Arrays.copyOfRange(flat, q * Patches.DIM, (q + 1) * Patches.DIM);
    }
    return out;
  }

  /** Tokenises one image: {@code [1024]} in [0, 1] → {@code [256]} codes in raster order. */
  public int[] encode(float[] image) {
    float[] patches = Patches.all(image); // [256 * 4]
    int[] tokens = new int[Patches.COUNT];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = Nearest.index(patches, i * Patches.DIM, flat, norms, Patches.DIM, vocabSize());
    }
    return tokens;
  }

  /** Tokenises a batch: {@code [n][1024]} → {@code [n][256]}. */
  public int[][] encode(float[][] images) {
    int[][] out = new int[images.length][];
    for (int i = 0; i < images.length; i++) {
      out[i] = encode(images[i]);
    }
    return out;
  }

  /** Reconstructs an image: {@code [256]} codes → {@code [1024]} in [0, 1]. */
  public float[] decode(int[] tokens) {
    if (tokens.length != Patches.COUNT) {
      throw new IllegalArgumentException("expected 256 tokens (16x16), got " + tokens.length);
    }
    float[] image = new float[Patches.IMAGE * Patches.IMAGE];
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] < 0 || tokens[i] >= vocabSize()) {
        throw new IllegalArgumentException("token " + tokens[i] + " at " + i + " outside [0, " + vocabSize() + ")");
      }
      Patches.write(flat, tokens[i] * Patches.DIM, i, image);
    }
    return image;
  }

  @Override
  public int pixelsPerToken() {
    return 2;
  }

  @Override
  public int channels() {
    return 1;
  }

  /** Decodes to an 8-bit greyscale 32×32 PNG; the same tokens always give the same bytes. */
  @Override
  public byte[] toPng(int[] tokens) {
    return GreyPng.encode(decode(tokens), Patches.IMAGE, Patches.IMAGE);
  }

  /**
   * LANTERN's latent neighbourhoods: for each code, the other codes by ascending L2 distance between
   * codebook rows (lower index first on ties), truncated to {@code kmax} columns.
   *
   * @return {@code [K][kmax]}
   */
  public int[][] nearestNeighbours(int kmax) {
    int k = vocabSize();
    if (kmax < 1 || kmax > k - 1) {
      throw new IllegalArgumentException("kmax must be in [1, " + (k - 1) + "], got " + kmax);
    }
    int[][] out = new int[k][];
    for (int q = 0; q < k; q++) {
      final int self = q;
      double[] d = new double[k];
      for (int r = 0; r < k; r++) {
        d[r] = KMeans.sq(flat, q * Patches.DIM, flat, r * Patches.DIM, Patches.DIM);
      }
      out[q] = java.util.stream.IntStream.range(0, k).filter(r -> r != self).boxed()
          .sorted(Comparator.<Integer>comparingDouble(r -> d[r]).thenComparingInt(r -> r))
          .limit(kmax).mapToInt(Integer::intValue).toArray();
    }
    return out;
  }

  /** Writes {@code codebook.safetensors} ({@code codebook}: F32 [K, 4]) and {@code config.json} into {@code dir}. */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    SafeTensors.write(dir.resolve(WEIGHTS_FILE),
        Map.of(CODEBOOK_TENSOR, Tensor.of(flat.clone(), vocabSize(), Patches.DIM)),
        Map.of("format", "tessera-vq", "codebook_size", Integer.toString(vocabSize())));
    Files.writeString(dir.resolve(CONFIG_FILE), JSON.writeValueAsString(config) + "\n");
  }

  /** Loads a tokenizer saved by {@link #save}. */
  public static VqTokenizer load(Path dir) throws IOException {
    Path cfg = dir.resolve(CONFIG_FILE);
    Path weights = dir.resolve(WEIGHTS_FILE);
    if (!Files.isRegularFile(cfg) || !Files.isRegularFile(weights)) {
      throw new java.io.FileNotFoundException("no tokenizer in " + dir + " (need " + CONFIG_FILE + " and "
          + WEIGHTS_FILE + "; fit one with: ./tessera tokenizer fit --size 512 --seed 1)");
    }
    VqConfig config = JSON.readValue(cfg.toFile(), VqConfig.class);
    Tensor t = SafeTensors.read(weights).get(CODEBOOK_TENSOR);
    if (t == null || t.shape().length != 2 || t.shape()[1] != Patches.DIM) {
      throw new IOException(weights + ": expected tensor 'codebook' of shape [K, 4]");
    }
    float[] v = t.floats();
    float[][] c = new float[(int) t.shape()[0]][];
    for (int q = 0; q < c.length; q++) {
      c[q] = Arrays.copyOfRange(v, q * Patches.DIM, (q + 1) * Patches.DIM);
    }
    return new VqTokenizer(config, c);
  }
}
