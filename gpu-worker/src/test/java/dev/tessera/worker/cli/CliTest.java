package dev.tessera.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The offline commands' command line: help for every command, errors that name the flag (exit 2),
 * and prerequisites checked before any work (exit 1, one line).
 */
class CliTest {

  @TempDir
  Path checkout;

  private CommandRun run(String... args) {
    return CommandRun.of(Cli.commandLine(checkout), args);
  }

  /** Every command path of a tree, e.g. [bench, decode]. */
  static List<List<String>> paths(CommandLine cmd, List<String> prefix) {
    List<List<String>> all = new ArrayList<>();
    cmd.getSubcommands().forEach((name, sub) -> {
      if (name.equals("help")) {
        return;
      }
      List<String> path = new ArrayList<>(prefix);
      path.add(name);
      all.add(path);
      all.addAll(paths(sub, path));
    });
    return all;
  }

  @Test
  void everyCommandAnswersHelpWithItsUsage() {
    List<List<String>> paths = paths(Cli.commandLine(checkout), List.of());
    assertThat(paths).as("commands").hasSizeGreaterThanOrEqualTo(18)
        .contains(List.of("bench", "decode"), List.of("train", "fm-classifier"),
            List.of("import", "llamagen"), List.of("tokenizer", "fit"), List.of("completion"));
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CommandRun r = run(args.toArray(String[]::new));
      assertThat(r.code()).as("exit code of " + args).isZero();
      assertThat(r.out()).as("usage of " + path)
          .startsWith("Usage: tessera " + String.join(" ", path));
    }
    assertThat(run("--help").out()).as("the root's usage lists the commands")
        .contains("generate", "eval", "train", "bench", "completion");
  }

  @Test
  void noCommandOrAnUnknownOneIsAUsageError() {
    CommandRun none = run();
    assertThat(none.code()).as("exit code without a command").isEqualTo(2);
    assertThat(none.err()).as("stderr").contains("missing subcommand").contains("generate");
    CommandRun unknown = run("bench", "decod");
    assertThat(unknown.code()).as("exit code of an unknown benchmark").isEqualTo(2);
    assertThat(unknown.err()).as("suggestion").contains("decod").contains("decode");
  }

  @Test
  void badFlagsAreNamedWithExitCode2() {
    CommandRun unknown = run("generate", "--class", "3", "--out", "x.png", "--sede", "4");
    assertThat(unknown.code()).as("unknown flag").isEqualTo(2);
    assertThat(unknown.err()).as("stderr").contains("'--sede'");
    CommandRun typed = run("eval", "--images", "many");
    assertThat(typed.code()).as("not a number").isEqualTo(2);
    assertThat(typed.err()).as("stderr").contains("--images").contains("'many' is not an int");
    CommandRun range = run("eval", "--images", "1");
    assertThat(range.code()).as("out of range").isEqualTo(2);
    assertThat(range.err()).as("stderr").contains("--images must be in [2, 100000], got 1");
    CommandRun strategy = run("eval", "--strategy", "beam");
    assertThat(strategy.code()).as("unknown strategy").isEqualTo(2);
    assertThat(strategy.err()).as("stderr").contains("--strategy").contains("beam");
    CommandRun threshold = run("eval", "--draft-threshold", "1.5");
    assertThat(threshold.code()).as("threshold out of range").isEqualTo(2);
    assertThat(threshold.err()).as("stderr").contains("--draft-threshold must be in [0, 1)");
    CommandRun kind = run("eval", "--tree-kind", "eagle");
    assertThat(kind.code()).as("unknown tree kind").isEqualTo(2);
    assertThat(kind.err()).as("stderr").contains("--tree-kind").contains("eagle");
    CommandRun adaptive = run("bench", "decode", "--adaptive", "12");
    assertThat(adaptive.code()).as("an adaptive chain without its threshold").isEqualTo(2);
    assertThat(adaptive.err()).as("stderr").contains("--adaptive")
        .contains("draft_len:threshold");
    CommandRun tree = run("bench", "decode", "--static", "8:2:99");
    assertThat(tree.code()).as("a static tree too large").isEqualTo(2);
    assertThat(tree.err()).as("stderr").contains("--static").contains("nodes");
    CommandRun missing = run("generate", "--class", "3");
    assertThat(missing.code()).as("a required flag").isEqualTo(2);
    assertThat(missing.err()).as("stderr").contains("--out");
  }

  @Test
  void evalWithoutTheDatasetSaysWhatToInstallBeforeAnyWork() throws Exception {
    Path empty = Files.createDirectories(checkout.resolve("empty"));
    CommandRun r = run("eval", "--data", empty.toString(), "--models", empty.toString());
    assertThat(r.code()).as("exit code").isEqualTo(1);
    assertThat(r.err().strip()).as("one line naming the package")
        .contains("apt-get install -y dataset-fashion-mnist").doesNotContain("\n")
        .doesNotContain("Exception");
    assertThat(checkout.resolve("runs")).as("no run folder: nothing was started").doesNotExist();
    CommandRun bench = run("bench", "decode", "--data", empty.toString());
    assertThat(bench.code()).as("bench decode exit code").isEqualTo(1);
    assertThat(bench.err()).as("bench decode").contains("dataset-fashion-mnist");
  }

  @Test
  void aMissingModelIsNamedWithHowToGetIt() throws Exception {
    Path empty = Files.createDirectories(checkout.resolve("empty"));
    CommandRun generate = run("generate", "--models", empty.toString(), "--class", "1", "--out",
        checkout.resolve("x.png").toString());
    assertThat(generate.code()).as("exit code").isEqualTo(1);
    assertThat(generate.err()).as("stderr").contains("model fm-ar not found")
        .contains("./tessera train fm-ar");
    CommandRun train = run("train", "fm-par4", "--models", empty.toString(), "--init", "none");
    assertThat(train.code()).as("train without the tokenizer").isEqualTo(1);
    assertThat(train.err()).as("stderr").contains("fm-vq").contains("./tessera tokenizer fit");
  }

  @Test
  void completionPrintsABashScriptForEveryCommand() {
    CommandRun r = run("completion");
    assertThat(r.code()).as("exit code").isZero();
    assertThat(r.out()).as("bash script").contains("_complete_tessera")
        .contains("generate").contains("tokenizer").contains("--lantern-delta")
        .contains("complete -F _complete_tessera -o default ./tessera");
  }
}
