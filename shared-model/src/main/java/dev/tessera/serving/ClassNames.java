package dev.tessera.serving;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Class names that ship with Tessera: the 1000 ImageNet-1k classes LlamaGen's c2i models use. */
public final class ClassNames {

  private static final String IMAGENET = "imagenet-1k-classes.txt";

  private ClassNames() {}

  /** The 1000 ImageNet-1k class names, by label (the order of the standard synset list). */
  public static List<String> imagenet() {
    try (InputStream in = ClassNames.class.getResourceAsStream(IMAGENET)) {
      if (in == null) {
        throw new IllegalStateException("resource " + IMAGENET + " is missing");
      }
      List<String> names = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .lines().filter(l -> !l.isBlank()).toList();
      if (names.size() != 1000) {
        throw new IllegalStateException(IMAGENET + " has " + names.size() + " names, not 1000");
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** ImageNet's names for a 1000-class model, otherwise none. */
  public static List<String> forClassCount(int numClasses) {
    return numClasses == 1000 ? imagenet() : null;
  }
}
