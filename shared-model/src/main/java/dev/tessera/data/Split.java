package dev.tessera.data;

/** Which half of a dataset. */
public enum Split {
  /** The 60,000 training images ({@code train-*} files). */
  TRAIN("train"),
  /** The 10,000 test images ({@code t10k-*} files). */
  TEST("t10k");

  private final String filePrefix;

  Split(String filePrefix) {
    this.filePrefix = filePrefix;
  }

  /** The IDX images file name, e.g. {@code train-images-idx3-ubyte.gz}. */
  public String imagesFile() {
    return filePrefix + "-images-idx3-ubyte.gz";
  }

  /** The IDX labels file name, e.g. {@code train-labels-idx1-ubyte.gz}. */
  public String labelsFile() {
    return filePrefix + "-labels-idx1-ubyte.gz";
  }
}
