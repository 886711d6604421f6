package dev.tessera.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.data.FashionMnist;
import dev.tessera.data.FashionMnistSample;
import dev.tessera.data.LabelledImages;
import dev.tessera.data.Split;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains a classifier for a few steps on the 300-image sample, then exercises loading and evaluation. */
class ClassifierTest {

  @TempDir static Path dir;

  static LabelledImages train;
  static LabelledImages test;
  static ClassifierTraining.Result result;
  static List<String> log = new ArrayList<>();

  @BeforeAll
  static void trainOnTheSample() throws IOException {
    train = FashionMnistSample.load(Split.TRAIN);
    test = FashionMnistSample.load(Split.TEST);
    result = ClassifierTraining.train(train, test, new ClassifierTrainingConfig(4, 30, 2e-3f, 1), dir, log::add);
  }

  @Test
  void aFewStepsOfTrainingBeatChanceOnHeldOutImages() {
    assertThat(result.steps()).as("steps: 4 epochs of 10").isEqualTo(40);
    assertThat(result.testAccuracy()).as("test-sample accuracy after 40 steps (chance is 0.1)").isGreaterThan(0.4);
    assertThat(log).as("progress lines").anyMatch(l -> l.contains("ETA") && l.contains("loss"));
  }

  @Test
  void savedWeightsReloadToTheSamePredictions() throws IOException {
    assertThat(Files.size(dir.resolve(Classifier.WEIGHTS_FILE))).as("weights file size (bytes)").isLessThan(2_000_000);
    try (Classifier c = Classifier.load(dir)) {
      assertThat(c.accuracy(test.images(), test.labels())).as("reloaded accuracy")
          .isCloseTo(result.testAccuracy(), within(1e-9));
      float[][] f = c.features(test.head(7).images());
      assertThat(f).as("feature rows").hasNumberOfRows(7);
      assertThat(f[0]).as("feature dim").hasSize(ClassifierNet.FEATURE_DIM);
    }
  }

  @Test
  void evaluatorScoresTheReferenceItselfAtDistanceZeroAndWritesAGrid() throws IOException {
    try (Evaluator ev = Evaluator.load(dir, test)) {
      Evaluator.Score s = ev.score(test.images(), test.labels());
      assertThat(s.classAccuracy()).as("accuracy equals the classifier's").isCloseTo(result.testAccuracy(), within(1e-9));
      assertThat(s.frechetDistance()).as("FD of the reference to itself").isCloseTo(0, within(1e-3));
      assertThat(ev.frechetToReference(train.images())).as("FD of other real images").isGreaterThan(s.frechetDistance());
      Path png = dir.resolve("grid.png");
      Evaluator.writeGrid(png, test.images(), test.labels(), 8);
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
      assertThat(img.getWidth()).as("grid width: 8 cells of 96 px + 9 gutters of 4").isEqualTo(8 * 96 + 9 * 4);
      assertThat(img.getHeight()).as("grid height: 10 rows").isEqualTo(10 * 96 + 11 * 4);
    }
  }
}
