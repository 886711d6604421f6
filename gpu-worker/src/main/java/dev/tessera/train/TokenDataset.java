package dev.tessera.train;

import dev.tessera.data.FashionMnist;
import dev.tessera.data.LabelledImages;
import dev.tessera.data.SafeTensors;
import dev.tessera.data.Split;
import dev.tessera.data.Tensor;
import dev.tessera.tokenizer.VqTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A tokenised image dataset, what the transformer trainer consumes: per image 256 VQ tokens in raster
 * order and a class label. Stored as safetensors: {@code tokens} I16 {@code [N, 256]}, {@code labels} U8
 * {@code [N]}, metadata {@code vocab_size} and {@code codebook_crc32} (which codebook made the tokens).
 * The 60k training split is about 31 MB on disk and in memory.
 *
 * @param tokens {@code [N][256]} token ids (as shorts; ids are below 32768)
 * @param labels {@code [N]} class ids
 * @param vocabSize size of the codebook the tokens index
 * @param codebookCrc32 {@link #fingerprint} of that codebook
 */
public record TokenDataset(short[][] tokens, int[] labels, int vocabSize, long codebookCrc32) {

  /** Default cache folder (git-ignored), relative to the working directory. */
  public static final Path DEFAULT_DIR = Path.of(".tessera", "data");

  /** Checks shapes. */
  public TokenDataset {
    if (tokens.length != labels.length) {
      throw new IllegalArgumentException(tokens.length + " token rows but " + labels.length + " labels");
    }
    if (vocabSize < 2 || vocabSize > Short.MAX_VALUE + 1) {
      throw new IllegalArgumentException("vocab_size " + vocabSize + " does not fit int16 tokens");
    }
  }

  /** The number of images. */
  public int size() {
    return labels.length;
  }

  /** Tokenises a labelled image set. */
  public static TokenDataset encode(LabelledImages data, VqTokenizer tokenizer) {
    short[][] tokens = new short[data.size()][];
    for (int i = 0; i < tokens.length; i++) {
      int[] t = tokenizer.encode(data.images()[i]);
      tokens[i] = new short[t.length];
      for (int j = 0; j < t.length; j++) {
        tokens[i][j] = (short) t[j];
      }
    }
    return new TokenDataset(tokens, data.labels().clone(), tokenizer.vocabSize(), fingerprint(tokenizer));
  }

  /** A CRC32 of the codebook's float bits, to detect tokens made by another codebook. */
  public static long fingerprint(VqTokenizer tokenizer) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    for (float[] row : tokenizer.codebook()) {
      for (float v : row) {
        int bits = Float.floatToIntBits(v);
        crc.update(new byte[] {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)});
      }
    }
    return crc.getValue();
  }

  /** Writes the dataset as safetensors. */
  public void save(Path file) throws IOException {
    int n = size();
    int len = n == 0 ? dev.tessera.tokenizer.Patches.COUNT : tokens[0].length;
    short[] flat = new short[n * len]; // [N * 256]
    byte[] lab = new byte[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(tokens[i], 0, flat, i * len, len);
      lab[i] = (byte) labels[i];
    }
    SafeTensors.write(file,
        Map.of("tokens", Tensor.of(flat, n, len), "labels", Tensor.ofBytes(lab, n)),
        Map.of("vocab_size", Integer.toString(vocabSize), "codebook_crc32", Long.toString(codebookCrc32)));
  }

  /** Reads a dataset written by {@link #save}. */
  public static TokenDataset load(Path file) throws IOException {
    Map<String, Tensor> t = SafeTensors.read(file);
    Map<String, String> meta = SafeTensors.readMetadata(file);
    Tensor tok = t.get("tokens");
    Tensor lab = t.get("labels");
    if (tok == null || lab == null || tok.shape().length != 2) {
      throw new IOException(file + ": expected tensors 'tokens' [N, 256] and 'labels' [N]");
    }
    int n = (int) tok.shape()[0];
    int len = (int) tok.shape()[1];
    short[] flat = tok.shorts();
    short[][] rows = new short[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = java.util.Arrays.copyOfRange(flat, i * len, (i + 1) * len);
    }
    return new TokenDataset(rows, lab.ints(), Integer.parseInt(meta.getOrDefault("vocab_size", "0")),
        Long.parseLong(meta.getOrDefault("codebook_crc32", "0")));
  }

  /**
   * The tokenised full split, from {@code dir/fm-tokens-<split>.safetensors} if it exists and was made by
   * this codebook, otherwise encoded from the installed Fashion-MNIST and written there.
   *
   * @throws java.io.FileNotFoundException if it must be encoded and Fashion-MNIST is not installed
   */
  public static TokenDataset loadOrEncode(Split split, VqTokenizer tokenizer, Path dir, Consumer<String> log)
      throws IOException {
    Path file = dir.resolve("fm-tokens-" + split.name().toLowerCase(java.util.Locale.ROOT) + ".safetensors");
    if (Files.isRegularFile(file)) {
      TokenDataset cached = load(file);
      if (cached.codebookCrc32() == fingerprint(tokenizer) && cached.vocabSize() == tokenizer.vocabSize()) {
        log.accept("loaded " + cached.size() + " tokenised images from " + file);
        return cached;
      }
      log.accept(file + " was made by another codebook; re-encoding");
    }
    long t0 = System.nanoTime();
    TokenDataset encoded = encode(FashionMnist.load(split), tokenizer);
    encoded.save(file);
    log.accept(String.format("encoded %d images of %s in %.1f s -> %s",
        encoded.size(), split, (System.nanoTime() - t0) / 1e9, file));
    return encoded;
  }
}
