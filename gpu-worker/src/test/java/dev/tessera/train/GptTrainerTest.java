package dev.tessera.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.model.GptConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptTrainerTest {

  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  /** 48 images on a 4×4 grid whose tokens depend on the label: learnable in a few steps. */
  static TokenImages patterned(GptConfig c) {
    return new TokenImages() {
      @Override
      public int size() {
        return 48;
      }

      @Override
      public int[] tokens(int i) {
        int[] t = new int[c.imageTokens()];
        for (int k = 0; k < t.length; k++) {
          t[k] = (label(i) * 11 + k * 3 + (k % 2) * (i % 2)) % c.vocabSize();
        }
        return t;
      }

      @Override
      public int label(int i) {
        return i % c.numClasses();
      }
    };
  }

  static TrainConfig trainConfig(int steps) {
    return new TrainConfig(steps, 8, 3e-3, 5, 0.1, 0.0, 0.1, 1.0, 42, 1000);
  }

  @Test
  void aFewStepsLowerTheLossOnATinyModel(@TempDir Path dir) throws Exception {
    for (GptConfig c : new GptConfig[] {
        GptConfig.of(32, 2, 2, 64, 3, 4), GptConfig.of(32, 2, 2, 64, 3, 4).withParallelTokens(4)}) {
      try (GptTrainer t = new GptTrainer(c, trainConfig(40), QUIET)) {
        TokenImages data = patterned(c);
        double before = t.evaluate(data, 0, 24);
        t.run(data, dir.resolve("ckpt-" + c.parallelTokens()), 40);
        double after = t.evaluate(data, 0, 24);
        assertThat(after).as("held loss after 40 steps (n=%d), before %.3f", c.parallelTokens(), before)
            .isLessThan(before * 0.6);
      }
    }
  }

  @Test
  void resumingFromACheckpointGivesTheSameStateAsAnUninterruptedRun(@TempDir Path dir)
      throws Exception {
    GptConfig c = GptConfig.of(32, 2, 2, 64, 3, 4);
    TokenImages data = patterned(c);
    float[] straight;
    try (GptTrainer t = new GptTrainer(c, trainConfig(10), QUIET)) {
      t.run(data, dir.resolve("a"), 10);
      straight = t.block().namedValues().get("layers.1.attention.wqkv.weight").toFloatArray();
    }
    try (GptTrainer t = new GptTrainer(c, trainConfig(10), QUIET)) {
      t.run(data, dir.resolve("b"), 5);
    }
    float[] resumed;
    try (GptTrainer t = Checkpoints.resume(dir.resolve("b"), QUIET)) {
      assertThat(t.step()).as("resumed step").isEqualTo(5);
      t.run(data, dir.resolve("b"), 10);
      resumed = t.block().namedValues().get("layers.1.attention.wqkv.weight").toFloatArray();
    }
    float worst = 0;
    for (int i = 0; i < straight.length; i++) {
      worst = Math.max(worst, Math.abs(straight[i] - resumed[i]));
    }
    assertThat(worst).as("max |Δweight| between uninterrupted and resumed runs").isLessThan(1e-6f);
  }
}
