package dev.tessera.worker.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Option;

/**
 * Where a benchmark or an evaluation writes its reports: a folder of the run ({@code --out DIR},
 * by default {@code runs/<command>-<time>/} in the checkout, which git ignores), and into the
 * committed pages under {@code docs/} only with {@code --publish}. So a run that only wanted a
 * number leaves the checkout clean.
 */
public final class RunOutput {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  @Option(names = "--out", paramLabel = "DIR",
      description = "folder for this run's reports (default: runs/<command>-<time>/)")
  Path out;

  @Option(names = "--publish",
      description = "also copy the reports over the committed pages under docs/")
  boolean publish;

  /** Whether {@code --publish} was given. */
  public boolean publishing() {
    return publish;
  }

  /** The run's folder, created: {@code --out}, or a new {@code runs/<command>-<time>/}. */
  public Path folder(Path checkout, String command) throws IOException {
    Path dir = out;
    if (dir == null) {
      Path base = checkout.resolve("runs").resolve(command + "-" + LocalDateTime.now().format(STAMP));
      dir = base;
      for (int n = 2; Files.exists(dir); n++) {
        dir = Path.of(base + "-" + n);
      }
    }
    Files.createDirectories(dir);
    return dir;
  }

  /**
   * With {@code --publish}, copies {@code file} to {@code docsPath} (relative to the checkout,
   * under {@code docs/}); without it, does nothing.
   */
  public void publish(Path checkout, Path file, String docsPath, PrintStream log)
      throws IOException {
    if (!publish) {
      return;
    }
    Path target = checkout.resolve(docsPath);
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    log.println("published " + target);
  }
}
