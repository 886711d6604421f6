package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.decoding.Strategy;
import dev.tessera.decoding.StrategyParams;
import dev.tessera.eval.Evaluator;
import dev.tessera.sampling.SamplingParams;
import dev.tessera.serving.ModelLoader;
import dev.tessera.serving.ServedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./tessera bench decode}: every strategy on the shipped models in one run, same seeds for
 * every row: target forwards per image, mean accepted length, seconds per image, speed-up over ar in
 * the same run, class accuracy and Fréchet distance. Writes docs/benchmarks/decode.md and a PNG plot
 * of speed-up against quality; with --json the last line is one JSON object.
 */
final class BenchDecodeCommand {

  static final String USAGE = """
      usage: ./tessera bench decode [--images 100] [--batch 1] [--seed 1] [--lantern-k 16] [--json]
                 [--warmup 4] [--models models] [--out docs/benchmarks]
             ./tessera bench decode --llamagen B,L [--batches 1,8]  (LlamaGen sizes, random weights)""";

  /** One row of the table: a strategy with its parameters on a model. */
  record Row(String model, Strategy strategy, StrategyParams params) {}

  private BenchDecodeCommand() {}

  static List<Row> rows(int lanternK) {
    List<Row> rows = new ArrayList<>();
    StrategyParams d = StrategyParams.DEFAULT;
    rows.add(new Row("fm-ar", Strategy.AR, d));
    for (int gamma : new int[] {2, 4}) {
      rows.add(new Row("fm-ar", Strategy.SPECULATIVE, new StrategyParams(gamma, lanternK, 0)));
    }
    for (double delta : new double[] {0.05, 0.1, 0.2, 0.4}) {
      rows.add(new Row("fm-ar", Strategy.LANTERN, new StrategyParams(4, lanternK, delta)));
    }
    rows.add(new Row("fm-par4", Strategy.PAR, d));
    rows.add(new Row("fm-par16", Strategy.PAR, d));
    return rows;
  }

  static int run(String[] args) throws Exception {
    if (Arrays.stream(args).anyMatch(a -> a.equals("--llamagen") || a.startsWith("--llamagen="))) {
      return BenchLlamaGenScale.run(args); // LlamaGen sizes with random weights: another table
    }
    Set<String> valued = new HashSet<>(ModelFlags.VALUED);
    valued.addAll(Set.of("images", "batch", "seed", "lantern-k", "out", "warmup"));
    CommandFlags f;
    try {
      f = CommandFlags.parse(args, valued, Set.of("json"));
    } catch (UsageException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    int images = f.integer("images", 100, 2, 100_000);
    int batch = f.integer("batch", 1, 1, 1024);
    // untimed images per row first (other seeds): the JIT and the allocator warm up on every
    // row's own code path, so the first row measured (ar, the reference) is not the slow one
    int warmup = f.integer("warmup", 4, 0, 10_000);
    long seed = f.longValue("seed", 1);
    Path models = f.path("models", Path.of("models"));
    Path out = f.path("out", Path.of("docs", "benchmarks"));
    SamplingParams sampling = ModelFlags.sampling(f);
    List<Map<String, Object>> measured = new ArrayList<>();
    List<Map<String, Object>> skipped = new ArrayList<>();
    double arSeconds = Double.NaN;
    try (Evaluator evaluator = Evaluator.load()) {
      List<Row> rows = rows(f.integer("lantern-k", 16, 0, ModelLoader.LANTERN_MAX_K));
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        String label = label(row);
        ServedModel model;
        try {
          model = ModelLoader.load(models.resolve(row.model()));
        } catch (IOException e) {
          skipped.add(Map.of("strategy", row.strategy().apiName(), "params", params(row),
              "reason", e.getMessage()));
          System.out.printf("[%d/%d] %-40s skipped: %s%n", i + 1, rows.size(), label, e.getMessage());
          continue;
        }
        try (model) {
          if (!model.info().strategies().contains(row.strategy())) {
            skipped.add(Map.of("strategy", row.strategy().apiName(), "params", params(row),
                "reason", row.model() + " does not support " + row.strategy().apiName()));
            System.out.printf("[%d/%d] %-40s skipped: no drafter%n", i + 1, rows.size(), label);
            continue;
          }
          if (warmup > 0) {
            ImageBatchRun.run(model, row.strategy(), sampling, row.params(), warmup, batch,
                seed + 1_000_000, null);
          }
          ImageBatchRun.Result r = ImageBatchRun.run(model, row.strategy(), sampling, row.params(),
              images, batch, seed, label);
          Evaluator.Score score = evaluator.score(r.images(), r.labels());
          if (row.strategy() == Strategy.AR) {
            arSeconds = r.secondsPerImage();
          }
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("strategy", row.strategy().apiName());
          m.put("params", params(row));
          m.put("target_forwards_per_image", r.targetForwardsPerImage());
          m.put("mean_accepted_length", r.meanAcceptedLength());
          m.put("seconds_per_image", r.secondsPerImage());
          m.put("speedup_vs_ar", arSeconds / r.secondsPerImage());
          m.put("class_accuracy", score.classAccuracy());
          m.put("frechet_distance", score.frechetDistance());
          m.put("drafter_forwards_per_image", r.drafterForwards() / (double) images);
          m.put("accepted_histogram", r.acceptedHistogram());
          measured.add(m);
          System.out.printf("[%d/%d] %-40s %6.1f fwd/img  %.2f tok/fwd  %.3f s/img  %.2fx  acc %.3f"
              + "  FD %.2f%n", i + 1, rows.size(), label, r.targetForwardsPerImage(),
              r.meanAcceptedLength(), r.secondsPerImage(), arSeconds / r.secondsPerImage(),
              score.classAccuracy(), score.frechetDistance());
        }
      }
    }
    Files.createDirectories(out);
    DecodeReport.write(out, measured, skipped, images, batch, seed, warmup, sampling);
    System.out.println("wrote " + out.resolve("decode.md") + " and " + out.resolve("decode.png"));
    if (f.has("json")) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("rows", measured);
      json.put("skipped", skipped);
      System.out.println(new ObjectMapper().writeValueAsString(json));
    }
    return 0;
  }

  static Map<String, Object> params(Row row) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("model", row.model());
    if (row.strategy() == Strategy.SPECULATIVE || row.strategy() == Strategy.LANTERN) {
      p.put("draft_len", row.params().draftLen());
    }
    if (row.strategy() == Strategy.LANTERN) {
      p.put("lantern_k", row.params().lanternK());
      p.put("lantern_delta", row.params().lanternDelta());
    }
    return p;
  }

  static String label(Row row) {
    return row.strategy().apiName() + " " + params(row).toString();
  }
}
