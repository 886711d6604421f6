package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.decoding.DecodeJob;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.serving.ServedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./tessera bench step}: one AR decode step (with CFG) versus batch size on the shipped model:
 * median ms per step and images per second, with the ratio to batch 1 measured in the same run, and
 * the process RSS before and after to show that per-step memory stays flat.
 */
@Command(name = "step", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"One ar decode step against batch size.",
        "One ar decode step (with CFG) against batch size: median ms per step and"
        + " images per second, the ratio to the first batch size measured in the same run, and"
        + " the process's RSS before and after."})
final class BenchStepCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ModelOptions modelOptions;

  @Option(names = "--batches", split = ",", paramLabel = "N", description = "batch sizes")
  List<Integer> batches = new ArrayList<>(List.of(1, 2, 4, 8, 16, 32));

  @Option(names = "--steps", description = "steps timed per batch size")
  int steps = 128;

  @Option(names = "--pool-images", paramLabel = "N",
      description = "pool size (0: each row's pool holds just its batch)")
  int poolImages;

  @Option(names = "--json", description = "the last line of output is one JSON object")
  boolean json;

  @Mixin
  SamplingOptions samplingOptions;

  @Override
  public Integer call() throws Exception {
    Ranges.check(spec, "--pool-images", poolImages, 0, 4096);
    SamplingParams sampling = samplingOptions.params();
    ServedModel model = modelOptions.load();
    try {
      Ranges.check(spec, "--steps", steps, 8, model.info().tokensPerImage() - 1);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    long rssBefore = rssKiB();
    double base = 0;
    System.out.printf("%-7s %-12s %-12s %-14s %s%n", "images", "ms/step", "images/s", "vs first",
        "progress");
    try (model) {
      // the first few hundred steps of a JVM run slow (JIT, allocator, kernel selection) whatever the
      // batch size: one untimed pass over every size, so the first size measured is not penalised
      System.out.printf("(warming up: one untimed pass over every batch size)%n");
      for (int b : batches) {
        timeSteps(model, b, Math.max(b, poolImages), steps, sampling);
      }
      for (int b : batches) {
        double[] ms = timeSteps(model, b, Math.max(b, poolImages), steps, sampling);
        double median = median(ms);
        double imagesPerSec = b / (median * model.info().tokensPerImage() / 1000.0);
        if (base == 0) {
          base = imagesPerSec; // the first batch size is the reference
        }
        double ratio = imagesPerSec / base;
        System.out.printf("%-7d %-12.2f %-12.2f %-14s rss %d MiB%n", b, median, imagesPerSec,
            String.format("%.1fx", ratio), rssKiB() / 1024);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("images", b);
        row.put("ms_per_step", round(median));
        row.put("images_per_s", round(imagesPerSec));
        row.put("speedup_vs_first", round(ratio));
        rows.add(row);
      }
    }
    long rssAfter = rssKiB();
    System.out.printf("RSS before %d MiB, after %d MiB%n", rssBefore / 1024, rssAfter / 1024);
    if (json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("rows", rows);
      json.put("rss_before_mib", rssBefore / 1024);
      json.put("rss_after_mib", rssAfter / 1024);
      System.out.println(new ObjectMapper().writeValueAsString(json));
    }
    return 0;
  }

  /** Admits b images into a pool of {@code pool} images, warms up, and times single steps. */
  static double[] timeSteps(ServedModel model, int b, int pool, int steps,
      SamplingParams sampling) {
    try (StepDecoder decoder = model.newDecoder(Strategy.AR, pool)) {
      for (int i = 0; i < b; i++) {
        decoder.admit(DecodeJob.ar("bench-" + i, i % model.info().numClasses(), i, sampling));
      }
      for (int i = 0; i < 8; i++) {
        decoder.step();
      }
      double[] ms = new double[steps - 8];
      for (int i = 0; i < ms.length; i++) {
        long t0 = System.nanoTime();
        decoder.step();
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      return ms;
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** Resident set size of this process, from /proc (0 where unavailable). */
  static long rssKiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
