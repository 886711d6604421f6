package dev.tessera.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports go to a folder of the run; the committed pages under docs/ change only with --publish.
 * Shown with {@code bench decode --merge} of a one-row decode.json (no model, no dataset).
 */
class RunOutputTest {

  private static final String RUN = """
      {"command": "./tessera bench decode --images 2", "rows": [{"strategy": "ar",
       "params": {"model": "fm-ar"}, "target_forwards_per_image": 256.0,
       "mean_accepted_length": 1.0, "seconds_per_image": 0.5, "speedup_vs_ar": 1.0,
       "class_accuracy": 0.5, "frechet_distance": 12.5, "class_accuracy_95": [0.25, 0.75],
       "frechet_distance_95": [10.0, 15.0]}], "skipped": []}""";

  @TempDir
  Path checkout;

  private Path committed;
  private Path decodeJson;

  @BeforeEach
  void committedPages() throws Exception {
    committed = Files.createDirectories(checkout.resolve("docs/benchmarks"));
    Files.writeString(committed.resolve("decode.md"), "# the committed page\n");
    Files.write(committed.resolve("decode.png"), new byte[] {1, 2, 3});
    decodeJson = Files.writeString(checkout.resolve("decode.json"), RUN);
  }

  private CommandRun merge(String... more) {
    String[] args = Stream.concat(Stream.of("bench", "decode", "--merge", decodeJson.toString()),
        Stream.of(more)).toArray(String[]::new);
    return CommandRun.of(Cli.commandLine(checkout), args);
  }

  @Test
  void withoutPublishTheRunFolderHasTheReportAndDocsAreUntouched() throws Exception {
    CommandRun r = merge();
    assertThat(r.code()).as("exit code; stderr " + r.err()).isZero();
    assertThat(Files.readString(committed.resolve("decode.md"))).as("committed page")
        .isEqualTo("# the committed page\n");
    assertThat(Files.readAllBytes(committed.resolve("decode.png"))).as("committed plot")
        .containsExactly(1, 2, 3);
    List<Path> runs;
    try (Stream<Path> s = Files.list(checkout.resolve("runs"))) {
      runs = s.toList();
    }
    assertThat(runs).as("one run folder").hasSize(1);
    assertThat(runs.get(0).getFileName().toString()).as("folder name")
        .startsWith("bench-decode-merge-");
    assertThat(Files.readString(runs.get(0).resolve("decode.md"))).as("the run's report")
        .contains("| ar |").contains("12.50");
    assertThat(runs.get(0).resolve("decode.png")).as("the run's plot").isNotEmptyFile();
  }

  @Test
  void publishReplacesTheCommittedPagesWithTheRunsReport() throws Exception {
    Path out = checkout.resolve("my-run");
    CommandRun r = merge("--out", out.toString(), "--publish");
    assertThat(r.code()).as("exit code; stderr " + r.err()).isZero();
    assertThat(Files.readString(out.resolve("decode.md"))).as("the run's report").contains("| ar |");
    assertThat(Files.readString(committed.resolve("decode.md"))).as("published page")
        .isEqualTo(Files.readString(out.resolve("decode.md")));
    assertThat(Files.readAllBytes(committed.resolve("decode.png"))).as("published plot")
        .isEqualTo(Files.readAllBytes(out.resolve("decode.png")));
    assertThat(checkout.resolve("runs")).as("--out replaces the default folder").doesNotExist();
  }
}
