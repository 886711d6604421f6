package dev.tessera.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao et al. 2017): 60k train / 10k test grey 28×28 images of 10 clothing classes,
 * read from the IDX files of the Debian package {@code dataset-fashion-mnist} and padded with zeros to
 * 32×32 (2 px each side), the size the VQ tokenizer cuts into a 16×16 grid of 2×2 patches.
 *
 * <p>{@link #load} never falls back to a sample: training on one by accident would be silent and
 * wrong. Tests read the 300-image sample of the test resources with {@code FashionMnistSample}.
 */
public final class FashionMnist {

  /** Where the Debian package installs the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** How to get the full dataset, for error messages. */
  public static final String INSTALL_HINT = "install it with: sudo apt-get install -y dataset-fashion-mnist";

  /** Side of the raw images. */
  public static final int RAW_SIZE = 28;

  /** Side of the padded images. */
  public static final int SIZE = 32;

  /** Pixels of a padded image. */
  public static final int PIXELS = SIZE * SIZE;

  /** Zero border added on each side. */
  public static final int PAD = (SIZE - RAW_SIZE) / 2;

  /** Number of classes. */
  public static final int NUM_CLASSES = 10;

  /** Class names, indexed by label. */
  public static final List<String> CLASS_NAMES = List.of(
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private FashionMnist() {}

  /** Loads a split of the full dataset from {@link #DEFAULT_DIR}. */
  public static LabelledImages load(Split split) throws IOException {
    return load(DEFAULT_DIR, split);
  }

  /**
   * Loads a split from a directory holding the four {@code *-idx?-ubyte.gz} files.
   *
   * @throws FileNotFoundException naming the missing file and how to install the package
   */
  public static LabelledImages load(Path dir, Split split) throws IOException {
    Path images = dir.resolve(split.imagesFile());
    Path labels = dir.resolve(split.labelsFile());
    for (Path p : List.of(images, labels)) {
      if (!Files.isRegularFile(p)) {
        throw new FileNotFoundException("Fashion-MNIST file missing: " + p + " (" + INSTALL_HINT + ")");
      }
    }
    return fromIdx(IdxFile.read(images), IdxFile.read(labels), dir.toString());
  }

  /** Whether the full dataset is installed in {@link #DEFAULT_DIR}. */
  public static boolean isInstalled() {
    return Files.isRegularFile(DEFAULT_DIR.resolve(Split.TEST.imagesFile()));
  }

  /**
   * Pads one raw 28×28 image (unsigned bytes, row-major) to 32×32 with a zero border of 2 px, scaling
   * pixels to [0, 1].
   *
   * @param raw the IDX bytes
   * @param offset where the image starts in {@code raw}
   * @return {@code [1024]} row-major
   */
  public static float[] pad(byte[] raw, int offset) {
    float[] out = new float[PIXELS];
    for (int y = 0; y < RAW_SIZE; y++) {
      for (int x = 0; x < RAW_SIZE; x++) {
        out[(y + PAD) * SIZE + x + PAD] = (raw[offset + y * RAW_SIZE + x] & 0xff) / 255f;
      }
    }
    return out;
  }

  /** Checks and pads the images of an IDX pair; {@code where} names the source in errors. */
  static LabelledImages fromIdx(IdxFile images, IdxFile labels, String where) throws IdxFormatException {
    int[] d = images.dims();
    if (d.length != 3 || d[1] != RAW_SIZE || d[2] != RAW_SIZE) {
      throw new IdxFormatException(where + ": images must be [n, 28, 28], got " + java.util.Arrays.toString(d));
    }
    if (labels.dims().length != 1 || labels.count() != images.count()) {
      throw new IdxFormatException(where + ": " + images.count() + " images but labels have dims "
          + java.util.Arrays.toString(labels.dims()));
    }
    int n = images.count();
    float[][] out = new float[n][];
    int[] y = new int[n];
    byte[] raw = images.data();
    byte[] lab = labels.data();
    for (int i = 0; i < n; i++) {
      out[i] = pad(raw, i * RAW_SIZE * RAW_SIZE);
      y[i] = lab[i] & 0xff;
      if (y[i] >= NUM_CLASSES) {
        throw new IdxFormatException(where + ": label " + y[i] + " at index " + i + " is not a class id 0-9");
      }
    }
    return new LabelledImages(out, y);
  }
}
