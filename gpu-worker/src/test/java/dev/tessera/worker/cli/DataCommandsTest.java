package dev.tessera.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataCommandsTest {

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldErr;

  @BeforeEach
  void captureStderr() {
    oldErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(oldErr);
  }

  @Test
  void dataCommandsAreRegistered() {
    assertThat(Cli.commandLine(java.nio.file.Path.of("")).getSubcommands().keySet())
        .as("registered command names").contains("tokenizer", "train-classifier", "eval-references");
  }

  @Test
  void unknownTokenizerFlagExitsWithTwoAndNamesTheFlag() throws Exception {
    int rc = Cli.run(new String[] {"tokenizer", "fit", "--sise", "512"});
    assertThat(rc).as("exit code").isEqualTo(2);
    assertThat(stderr()).as("stderr").contains("'--sise'").contains("Possible solutions: --size");
  }

  @Test
  void nonNumericSizeExitsWithTwoAndNamesTheFlag() throws Exception {
    int rc = Cli.run(new String[] {"tokenizer", "fit", "--size", "big"});
    assertThat(rc).as("exit code").isEqualTo(2);
    assertThat(stderr()).as("stderr").contains("Invalid value for option '--size': 'big' is not an int");
  }

  @Test
  void missingTokenizerSubcommandExitsWithTwo() throws Exception {
    assertThat(Cli.run(new String[] {"tokenizer"})).as("exit code").isEqualTo(2);
    assertThat(stderr()).as("stderr").contains("missing subcommand");
  }

  @Test
  void flagWithoutValueExitsWithTwo() throws Exception {
    int rc = Cli.run(new String[] {"train-classifier", "--epochs"});
    assertThat(rc).as("exit code").isEqualTo(2);
    assertThat(stderr()).as("stderr").contains("Missing required parameter for option '--epochs'");
  }

  @Test
  void outOfRangeValueExitsWithTwo() throws Exception {
    int rc = Cli.run(new String[] {"eval-references", "--n", "3"});
    assertThat(rc).as("exit code").isEqualTo(2);
    assertThat(stderr()).as("stderr").contains("--n must be in [10, 10000], got 3");
  }

  @Test
  void missingDatasetSaysHowToInstallIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) throws Exception {
    int rc = Cli.run(new String[] {"tokenizer", "fit", "--data", empty.toString(), "--out", empty.resolve("o").toString()});
    assertThat(rc).as("exit code").isEqualTo(1);
    assertThat(stderr()).as("stderr").contains("apt-get install -y dataset-fashion-mnist");
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
