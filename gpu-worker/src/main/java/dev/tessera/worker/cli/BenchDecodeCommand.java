package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.eval.BootstrapInterval;
import dev.tessera.eval.Evaluator;
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
                 [--warmup 4] [--models models] [--out docs/benchmarks] [--resamples 200]
                 [--strategies ar,speculative,lantern,par (rows of these strategies only)]
                 [--rows 1,2,5 (these rows of the full list only, 1-based; row 1 is ar)]
                 [--trees 5:8:24 (depth:top-k:nodes of the draft trees; several, comma-separated,
                  give one exact tree row each, LANTERN rows use the first)]
             ./tessera bench decode --merge RUN1/decode.json,RUN2/decode.json [--out docs/benchmarks]
                 (one report from several runs' decode.json; speed-ups stay against each run's ar)
             ./tessera bench decode --llamagen B,L [--batches 1,8]  (LlamaGen sizes, random weights)""";

  /** One row of the table: a strategy with its parameters on a model. */
  record Row(String model, Strategy strategy, StrategyParams params) {}

  private BenchDecodeCommand() {}

  static List<Row> rows(int lanternK, List<StrategyParams> trees) {
    List<Row> rows = new ArrayList<>();
    StrategyParams d = StrategyParams.DEFAULT;
    rows.add(new Row("fm-ar", Strategy.AR, d));
    rows.add(new Row("fm-ar", Strategy.SPECULATIVE, new StrategyParams(4, lanternK, 0)));
    for (StrategyParams t : trees) {
      rows.add(new Row("fm-ar", Strategy.SPECULATIVE, tree(t, lanternK, 0, StrategyParams.BOUNDED)));
    }
    for (String rule : new String[] {StrategyParams.BOUNDED, StrategyParams.PAPER}) {
      for (double delta : new double[] {0.05, 0.1, 0.2, LAMBDA}) {
        rows.add(new Row("fm-ar", Strategy.LANTERN, tree(trees.get(0), lanternK, delta, rule)));
      }
    }
    for (String rule : new String[] {StrategyParams.BOUNDED, StrategyParams.PAPER}) {
      rows.add(new Row("fm-ar", Strategy.LANTERN,
          new StrategyParams(4, lanternK, 0.1, rule, d.treeTopK(), 0)));
    }
    rows.add(new Row("fm-par4", Strategy.PAR, d));
    rows.add(new Row("fm-par16", Strategy.PAR, d));
    return rows;
  }

  /** LANTERN++'s multiplicative bound in the table's λ rows. */
  static final double LAMBDA = 3;

  /** Trees from "depth:top-k:nodes,..." (the flag's words in its errors). */
  static List<StrategyParams> trees(String spec) {
    List<StrategyParams> trees = new ArrayList<>();
    for (String one : spec.split(",")) {
      String[] f = one.trim().split(":");
      try {
        if (f.length != 3) {
          throw new IllegalArgumentException("expected depth:top-k:nodes, got '" + one + "'");
        }
        trees.add(new StrategyParams(Integer.parseInt(f[0]), 0, 0, StrategyParams.BOUNDED,
            Integer.parseInt(f[1]), Integer.parseInt(f[2])));
      } catch (NumberFormatException e) {
        throw new UsageException("--trees: expected integers depth:top-k:nodes, got '" + one + "'");
      } catch (IllegalArgumentException e) {
        throw new UsageException("--trees: " + e.getMessage().replace("draft_len", "depth")
            .replace("tree_top_k", "top-k").replace("tree_tokens", "nodes"));
      }
    }
    return trees;
  }

  private static StrategyParams tree(StrategyParams d, int lanternK, double delta, String rule) {
    return new StrategyParams(d.draftLen(), lanternK, delta, rule, d.treeTopK(), d.treeTokens());
  }

  static int run(String[] args) throws Exception {
    if (Arrays.stream(args).anyMatch(a -> a.equals("--llamagen") || a.startsWith("--llamagen="))) {
      return BenchLlamaGenScale.run(args); // LlamaGen sizes with random weights: another table
    }
    if (java.util.Arrays.asList(args).contains("--merge")) {
      return merge(args);
    }
    Set<String> valued = new HashSet<>(ModelFlags.VALUED);
    valued.addAll(Set.of("images", "batch", "seed", "lantern-k", "out", "warmup", "resamples",
        "strategies", "trees", "rows"));
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
    int resamples = f.integer("resamples", 200, 10, 100_000);
    Set<Strategy> only = new HashSet<>();
    StrategyParams d = StrategyParams.DEFAULT;
    List<StrategyParams> trees;
    try {
      trees = trees(f.string("trees", "5:" + d.treeTopK() + ":24"));
    } catch (UsageException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    try {
      for (String name : f.string("strategies", "ar,speculative,lantern,par").split(",")) {
        only.add(Strategy.fromApiName(name.trim()));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("--strategies: " + e.getMessage() + "\n" + USAGE);
      return 2;
    }
    List<Map<String, Object>> measured = new ArrayList<>();
    List<Map<String, Object>> skipped = new ArrayList<>();
    double arSeconds = Double.NaN;
    try (Evaluator evaluator = Evaluator.load()) {
      List<Row> all = rows(f.integer("lantern-k", 16, 0, ModelLoader.LANTERN_MAX_K), trees);
      int[] picked = f.integers("rows", java.util.stream.IntStream.rangeClosed(1, all.size()).toArray());
      List<Row> rows = new ArrayList<>();
      for (int n : picked) {
        if (n < 1 || n > all.size()) {
          System.err.println("--rows: " + n + " is not in [1, " + all.size() + "]\n" + USAGE);
          return 2;
        }
        if (only.contains(all.get(n - 1).strategy())) {
          rows.add(all.get(n - 1));
        }
      }
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
          BootstrapInterval interval = evaluator.interval(r.images(), r.labels(), resamples, seed);
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
          m.put("class_accuracy_95", List.of(interval.accuracyLow(), interval.accuracyHigh()));
          m.put("frechet_distance_95", List.of(interval.frechetLow(), interval.frechetHigh()));
          m.put("drafter_forwards_per_image", r.drafterForwards() / (double) images);
          m.put("accepted_histogram", r.acceptedHistogram());
          measured.add(m);
          System.out.printf("[%d/%d] %-40s %6.1f fwd/img  %.2f tok/fwd  %.3f s/img  %.2fx  acc %.3f"
              + "  FD %.2f [%.2f, %.2f]%n", i + 1, rows.size(), label, r.targetForwardsPerImage(),
              r.meanAcceptedLength(), r.secondsPerImage(), arSeconds / r.secondsPerImage(),
              score.classAccuracy(), score.frechetDistance(), interval.frechetLow(),
              interval.frechetHigh());
        }
      }
    }
    Files.createDirectories(out);
    DecodeReport.write(out, measured, skipped, images, batch, seed, warmup, sampling, resamples);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("command", "./tessera bench decode " + String.join(" ", args));
    run.put("rows", measured);
    run.put("skipped", skipped);
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.resolve("decode.json").toFile(), run);
    System.out.println("wrote " + out.resolve("decode.md") + " and " + out.resolve("decode.png"));
    if (f.has("json")) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("rows", measured);
      json.put("skipped", skipped);
      System.out.println(new ObjectMapper().writeValueAsString(json));
    }
    return 0;
  }

  /** --merge: one report (decode.md, decode.png) from several runs' decode.json. */
  @SuppressWarnings("unchecked")
  private static int merge(String[] args) throws IOException {
    CommandFlags f;
    try {
      f = CommandFlags.parse(args, Set.of("merge", "out"), Set.of());
    } catch (UsageException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    List<Map<String, Object>> runs = new ArrayList<>();
    for (String file : f.string("merge", "").split(",")) {
      Path p = Path.of(file.trim());
      if (!Files.isRegularFile(p)) {
        System.err.println("--merge: no such file " + p + "\n" + USAGE);
        return 2;
      }
      runs.add(new ObjectMapper().readValue(p.toFile(), Map.class));
    }
    Path out = f.path("out", Path.of("docs", "benchmarks"));
    Files.createDirectories(out);
    DecodeReport.writeMerged(out, runs);
    System.out.println("wrote " + out.resolve("decode.md") + " and " + out.resolve("decode.png"));
    return 0;
  }

  static Map<String, Object> params(Row row) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("model", row.model());
    StrategyParams sp = row.params();
    if (row.strategy() == Strategy.SPECULATIVE || row.strategy() == Strategy.LANTERN) {
      p.put("draft_len", sp.draftLen());
      if (sp.tree()) {
        p.put("tree_top_k", sp.treeTopK());
        p.put("tree_tokens", sp.treeTokens());
      }
    }
    if (row.strategy() == Strategy.LANTERN) {
      p.put("lantern_k", sp.lanternK());
      p.put("lantern_delta", sp.lanternDelta());
      p.put("lantern_rule", sp.lanternRule());
    }
    return p;
  }

  static String label(Row row) {
    return row.strategy().apiName() + " " + params(row).toString();
  }
}
