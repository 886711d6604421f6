package dev.tessera.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {

  private static final String GPT = "src/test/resources/llamagen/gpt_tiny.pt";
  private static final String VQ = "src/test/resources/llamagen/vq_tiny.pt";

  @Test
  void importsTheTinyCheckpointsIntoAModelDirectory(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("llamagen-tiny");
    assertThat(Cli.run(new String[] {"import", "llamagen", "--gpt", GPT, "--vq", VQ, "--out",
        out.toString(), "--image-size", "8", "--heads", "2"})).isZero();
    assertThat(out.resolve("config.json")).exists();
    assertThat(out.resolve("model.safetensors")).exists();
    assertThat(out.resolve("vq.safetensors")).exists();
  }

  @Test
  void badUsageExitsTwo(@TempDir Path tmp) throws Exception {
    assertThat(Cli.run(new String[] {"import", "llamagen", "--gpt", GPT, "--vq", VQ, "--out",
        tmp.toString(), "--bogus", "1"})).as("unknown flag").isEqualTo(2);
    assertThat(Cli.run(new String[] {"import", "llamagen", "--gpt", "nope.pt", "--vq", VQ,
        "--out", tmp.toString()})).as("missing file").isEqualTo(2);
    assertThat(Cli.run(new String[] {"import", "llamagen", "--gpt", GPT, "--vq", VQ,
        "--out", tmp.toString(), "--image-size", "8"})).as("width 32 needs --heads").isEqualTo(2);
    assertThat(Cli.run(new String[] {"import", "dalle"})).as("unknown source").isEqualTo(2);
  }
}
