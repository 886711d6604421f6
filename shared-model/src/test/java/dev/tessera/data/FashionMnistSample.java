package dev.tessera.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The first 300 images of each Fashion-MNIST split, from the test resources
 * ({@code fashion-mnist-sample/}, README there), for tests that need real images without the Debian
 * package. Other modules' tests reach it through shared-model's test jar.
 */
public final class FashionMnistSample {

  private static final String RESOURCE = "/fashion-mnist-sample/";

  private FashionMnistSample() {}

  /** The 300-image sample of a split. */
  public static LabelledImages load(Split split) throws IOException {
    return FashionMnist.fromIdx(resource(split.imagesFile()), resource(split.labelsFile()), "sample");
  }

  private static IdxFile resource(String file) throws IOException {
    try (InputStream in = FashionMnistSample.class.getResourceAsStream(RESOURCE + file)) {
      if (in == null) {
        throw new FileNotFoundException("sample resource missing: " + RESOURCE + file);
      }
      return IdxFile.read(in, "sample " + file);
    }
  }
}
