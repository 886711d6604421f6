package dev.tessera.eval;

import dev.tessera.data.FashionMnist;
import dev.tessera.data.LabelledImages;
import dev.tessera.data.Split;
import dev.tessera.image.SampleGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Scores generated images with {@code fm-classifier}: class accuracy against the intended labels, and
 * the Fréchet distance between the classifier features of the images and of the Fashion-MNIST test
 * split (the test-split statistics are computed on first use and kept). Also draws sample grids.
 *
 * <pre>{@code
 * try (Evaluator ev = Evaluator.load()) {
 *   Evaluator.Score s = ev.score(images, labels);   // images [n][1024] in [0,1], labels [n]
 *   ev.writeGrid(Path.of("docs/fm-ar-samples.png"), images, labels, 10);
 * }
 * }</pre>
 *
 * <p>The Fréchet distance is biased upwards at small n; compare values computed from the same number
 * of images (the model cards give references at n = 500 and on the full splits). Not thread-safe.
 */
public final class Evaluator implements AutoCloseable {

  /** Upscaling of sample grids. */
  public static final int GRID_SCALE = 3;

  /**
   * The scores of a set of images.
   *
   * @param classAccuracy fraction classified as their intended label
   * @param frechetDistance Fréchet distance of their features to the test split's
   * @param images how many images were scored
   */
  public record Score(double classAccuracy, double frechetDistance, int images) {

    /** Checks the ranges. */
    public Score {
      if (!(classAccuracy >= 0 && classAccuracy <= 1) || !(frechetDistance >= 0) || images < 0) {
        throw new IllegalArgumentException("bad score: accuracy " + classAccuracy + ", FD " + frechetDistance
            + ", images " + images);
      }
    }
  }

  private final Classifier classifier;
  private final LabelledImages reference;
  private FeatureStats referenceStats;

  /** Uses {@code classifier} (now owned by the evaluator) and {@code reference} as the real images. */
  public Evaluator(Classifier classifier, LabelledImages reference) {
    this.classifier = classifier;
    this.reference = reference;
  }

  /** The shipped classifier ({@code models/fm-classifier}) against the full installed test split. */
  public static Evaluator load() throws IOException {
    return load(Classifier.DEFAULT_DIR, FashionMnist.load(Split.TEST));
  }

  /** A classifier folder against the given reference images. */
  public static Evaluator load(Path classifierDir, LabelledImages reference) throws IOException {
    return new Evaluator(Classifier.load(classifierDir), reference);
  }

  /**
   * Class accuracy and Fréchet distance to the reference split.
   *
   * @param images {@code [n][1024]} 32×32 in [0, 1], n ≥ 2
   * @param labels {@code [n]} intended class of each image
   */
  public Score score(float[][] images, int[] labels) {
    if (images.length != labels.length || images.length < 2) {
      throw new IllegalArgumentException("need n >= 2 images with one label each, got "
          + images.length + " images, " + labels.length + " labels");
    }
    int[] predicted = classifier.predict(images);
    int ok = 0;
    for (int i = 0; i < predicted.length; i++) {
      ok += predicted[i] == labels[i] ? 1 : 0;
    }
    return new Score((double) ok / images.length, frechetToReference(images), images.length);
  }

  /** 95% bootstrap intervals of {@link #score}'s two numbers ({@link BootstrapInterval}). */
  public BootstrapInterval interval(float[][] images, int[] labels, int resamples, long seed) {
    int[] predicted = classifier.predict(images);
    boolean[] correct = new boolean[images.length];
    for (int i = 0; i < correct.length; i++) {
      correct[i] = predicted[i] == labels[i];
    }
    return BootstrapInterval.of(classifier.features(images), correct, referenceStats(), resamples,
        seed);
  }

  /** Fréchet distance between the features of {@code images} and those of the reference split. */
  public double frechetToReference(float[][] images) {
    return FrechetDistance.between(FeatureStats.of(classifier.features(images)), referenceStats());
  }

  /** Feature statistics of the reference split (computed once). */
  public FeatureStats referenceStats() {
    if (referenceStats == null) {
      referenceStats = FeatureStats.of(classifier.features(reference.images()));
    }
    return referenceStats;
  }

  /** The classifier, for predictions and features. */
  public Classifier classifier() {
    return classifier;
  }

  /**
   * Writes a class-by-class PNG grid (10 rows in label order, {@code columns} per row, ×3) of the images.
   */
  public static void writeGrid(Path file, float[][] images, int[] labels, int columns) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    Files.write(file, SampleGrid.png(images, labels, FashionMnist.NUM_CLASSES, columns, GRID_SCALE));
  }

  @Override
  public void close() {
    classifier.close();
  }
}
