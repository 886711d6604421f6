package dev.tessera.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.tessera.model.Gpt;
import dev.tessera.model.GptConfig;
import dev.tessera.model.TinyModels;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrafterTrainerTest {

  @Test
  void trainingRaisesAgreementWithTheTargetAndResumes(@TempDir Path dir) throws Exception {
    GptConfig c = GptConfig.of(32, 2, 2, 64, 3, 4);
    TokenImages data = GptTrainerTest.patterned(c);
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    try (NDManager m = NDManager.newBaseManager()) {
      Gpt target = TinyModels.gpt(m, c, 31);
      double before;
      double after;
      try (DrafterTrainer t = new DrafterTrainer(target, GptTrainerTest.trainConfig(40), quiet)) {
        before = t.topOneAgreement(data, 0, 24);
        t.run(data, dir, 20);
      }
      try (DrafterTrainer t = DrafterTrainer.resume(dir, target, quiet)) {
        assertThat(t.step()).as("resumed at the checkpoint's step").isEqualTo(20);
        t.run(data, dir, 40);
        after = t.topOneAgreement(data, 0, 24);
      }
      assertThat(after).as("top-1 agreement after 40 steps (before %.3f)", before)
          .isGreaterThan(before + 0.2);
    }
  }
}
