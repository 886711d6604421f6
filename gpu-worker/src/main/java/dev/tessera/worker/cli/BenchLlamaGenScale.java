package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.decoding.DecodeJob;
import dev.tessera.decoding.DecodeOutput;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.model.GptConfig;
import dev.tessera.serving.ModelLoader;
import dev.tessera.serving.ServedModel;
import dev.tessera.tokenizer.llamagen.VqModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./tessera bench decode --llamagen B,L}: LlamaGen c2i models of the published sizes with
 * seeded random weights (no LlamaGen weights can be downloaded here) and the full-size VQ-16 decoder:
 * seconds per 256×256 image with ar at each batch size, the decoder's share of it, the KV pool's
 * bytes per image and the process's peak resident memory. Writes llamagen-scale.md to the run's
 * folder, and to docs/benchmarks/ with --publish.
 */
final class BenchLlamaGenScale {

  /** LlamaGen's published c2i GPT sizes (gpt.py): width, layers, heads. */
  static final Map<String, int[]> SIZES = Map.of("B", new int[] {768, 12, 12},
      "L", new int[] {1024, 24, 16}, "XL", new int[] {1280, 36, 20},
      "XXL", new int[] {1536, 48, 24});

  private BenchLlamaGenScale() {}

  /** A c2i config of a published size: 16384 codes, 1000 classes, 16×16 tokens (256 px). */
  static GptConfig config(String size) {
    int[] s = SIZES.get(size);
    if (s == null) {
      throw new UsageException("--llamagen " + size + ": sizes are B, L, XL, XXL");
    }
    return GptConfig.of(s[0], s[1], s[2], 16384, 1000, 16);
  }

  static int run(BenchDecodeCommand o) throws Exception {
    List<String> sizes = o.llamagen;
    List<Integer> batches = o.batches;
    long seed = o.seed;
    int steps = Ranges.check(o.spec, "--steps", o.steps, 1, 256);
    int vqImages = Ranges.check(o.spec, "--vq-images", o.vqImages, 1, 64);
    for (int b : batches) {
      Ranges.check(o.spec, "--batches", b, 1, 4096);
    }
    SamplingParams sampling = o.sampling.params();
    sizes.forEach(BenchLlamaGenScale::config); // fail on a bad size before the slow part
    Path out = o.output.folder(o.checkout(), "bench-decode-llamagen");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String size : sizes) {
      GptConfig c = config(size);
      resetPeakRss();
      long t0 = System.nanoTime();
      try (ServedModel model = ModelLoader.randomLlamaGen("llamagen-" + size.toLowerCase() + "-256",
          c, VqModelConfig.vq16(), seed)) {
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("GPT-%s: %,d parameters, random weights made in %.1f s%n", size,
            c.parameterCount(), buildSeconds);
        for (int batch : batches) {
          Map<String, Object> row = measure(model, c, size, batch, seed, sampling, steps,
              vqImages);
          row.put("weights_build_seconds", buildSeconds);
          row.put("peak_rss_bytes_so_far", peakRss());
          rows.add(row);
          System.out.println("  " + row);
          write(out, rows, sampling, seed); // after every row: a long run keeps what it measured
        }
      }
    }
    o.output.publish(o.checkout(), out.resolve("llamagen-scale.md"),
        "docs/benchmarks/llamagen-scale.md", System.out);
    if (o.json) {
      System.out.println(new ObjectMapper().writeValueAsString(Map.of("rows", rows)));
    }
    return 0;
  }

  private static void write(Path out, List<Map<String, Object>> rows, SamplingParams sampling,
      long seed) throws IOException {
    Files.createDirectories(out);
    Path md = out.resolve("llamagen-scale.md");
    Files.writeString(md, LlamaGenScaleReport.markdown(rows, sampling, seed));
    System.out.println("wrote " + md);
  }

  /** CPU time of this process so far (every thread, PyTorch's included), in seconds. */
  static double processCpuSeconds() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  /**
   * {@code batch} images admitted together and stepped with ar ({@code steps} of the image's 256
   * steps; all of them by default), then {@code vqImages} token grids rendered one by one by
   * {@code toPng}, as the worker renders each finished image.
   */
  static Map<String, Object> measure(ServedModel model, GptConfig c, String size, int batch,
      long seed, SamplingParams sampling, int steps, int vqImages) {
    int tokensPerImage = c.imageTokens();
    List<int[]> finished = new ArrayList<>();
    double cpu0 = processCpuSeconds();
    long t0 = System.nanoTime();
    int stepped = 0;
    try (StepDecoder decoder = model.newDecoder(Strategy.AR, batch)) {
      for (int i = 0; i < batch; i++) {
        DecodeJob job = new DecodeJob(Integer.toString(i), (i * 97) % c.numClasses(), seed + i,
            sampling, Strategy.AR, StrategyParams.DEFAULT);
        if (!decoder.canAdmit(job)) {
          throw new IllegalStateException("the pool cannot admit image " + i);
        }
        decoder.admit(job);
      }
      while (finished.size() < batch && stepped < steps) {
        for (DecodeOutput o : decoder.step()) {
          finished.add(o.tokens());
        }
        stepped++;
      }
    }
    double stepSeconds = (System.nanoTime() - t0) / 1e9;
    double cpu1 = processCpuSeconds();
    // the rendering cost does not depend on the codes: seeded random grids when none finished
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    long t1 = System.nanoTime();
    long pngBytes = 0;
    for (int i = 0; i < vqImages; i++) {
      int[] codes = i < finished.size() ? finished.get(i)
          : r.ints(tokensPerImage, 0, c.vocabSize()).toArray();
      pngBytes += model.toPng(codes).length;
    }
    double vqSeconds = (System.nanoTime() - t1) / 1e9 / vqImages;
    double cpu2 = processCpuSeconds();
    double scale = tokensPerImage / (double) stepped; // 1 when every step ran
    double tokenSeconds = stepSeconds * scale / batch;
    double tokenCpu = (cpu1 - cpu0) * scale / batch;
    double vqCpu = (cpu2 - cpu1) / vqImages;
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("model", "GPT-" + size);
    row.put("parameters", c.parameterCount());
    row.put("batch", batch);
    row.put("steps_measured", stepped);
    row.put("steps_per_image", tokensPerImage);
    row.put("vq_images_measured", vqImages);
    row.put("token_seconds_per_image", tokenSeconds);
    row.put("vq_decode_seconds_per_image", vqSeconds);
    row.put("seconds_per_image", tokenSeconds + vqSeconds);
    row.put("decoder_share", vqSeconds / (tokenSeconds + vqSeconds));
    row.put("token_cpu_seconds_per_image", tokenCpu);
    row.put("vq_decode_cpu_seconds_per_image", vqCpu);
    row.put("decoder_cpu_share", vqCpu / (tokenCpu + vqCpu));
    row.put("kv_bytes_per_image", kvBytesPerImage(c));
    row.put("png_bytes_per_image", pngBytes / vqImages);
    row.put("load_average_1min", java.lang.management.ManagementFactory
        .getOperatingSystemMXBean().getSystemLoadAverage());
    return row;
  }

  /**
   * What the ar decoder's pool allocates per image: two rows (conditional and unconditional, for
   * CFG) × layers × {K, V} × heads × positions × head dim × 4 bytes.
   */
  static long kvBytesPerImage(GptConfig c) {
    return 2L * c.nLayer() * 2 * c.nHead() * c.sequenceLength() * c.headDim() * Float.BYTES;
  }

  /** Resets the kernel's peak-RSS counter of this process (Linux; ignored elsewhere). */
  static void resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | UnsupportedOperationException e) {
      // not Linux, or not permitted: the peak then covers the whole process
    }
  }

  /** VmHWM of /proc/self/status in bytes, or -1 where there is none. */
  static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
