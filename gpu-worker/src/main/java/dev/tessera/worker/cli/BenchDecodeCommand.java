package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.data.FashionMnist;
import dev.tessera.data.Split;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.eval.BootstrapInterval;
import dev.tessera.eval.Classifier;
import dev.tessera.eval.Evaluator;
import dev.tessera.contract.SamplingParams;
import dev.tessera.serving.ModelLoader;
import dev.tessera.serving.ServedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code ./tessera bench decode}: every strategy on the shipped models in one run, same seeds for
 * every row: target forwards per image, mean accepted length, seconds per image, speed-up over ar in
 * the same run, class accuracy and Fréchet distance. Writes decode.md, decode.png (speed-up against
 * quality) and decode.json to the run's folder, and decode.md and decode.png to docs/benchmarks/
 * with --publish; with --json the last line is one JSON object.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Every decoding strategy side by side: speed-up and quality.",
        "Every decoding strategy on the shipped models in one run, the same seeds in"
        + " every row: target forwards per image, mean accepted length, seconds per image,"
        + " speed-up over ar in the same run, class accuracy and Fréchet distance.",
        "Reports (decode.md, decode.png, decode.json) go to the run's folder; docs/benchmarks/ only"
        + " with --publish.",
        "Also: --merge RUN1/decode.json,RUN2/decode.json (one report from several runs), and"
        + " --llamagen B,L (LlamaGen sizes with random weights)."})
final class BenchDecodeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--images", description = "images per row (2..100000)")
  int images = 100;

  @Option(names = "--batch", description = "images decoded at once (1..1024)")
  int batch = 1;

  @Option(names = "--seed", description = "seed of the first image")
  long seed = 1;

  @Option(names = "--lantern-k", description = "LANTERN's latent neighbourhood size")
  int lanternK = 16;

  @Option(names = "--warmup", description = "untimed images per row before it is measured")
  int warmup = 4;

  @Option(names = "--models", paramLabel = "DIR", description = "directory of the models")
  Path models = Path.of("models");

  @Option(names = "--resamples", description = "bootstrap resamples of the 95%% intervals")
  int resamples = 200;

  @Option(names = "--strategies", split = ",", paramLabel = "S",
      converter = StrategyConverter.class, description = "rows of these strategies only")
  List<Strategy> strategies = new ArrayList<>(List.of(Strategy.AR, Strategy.SPECULATIVE,
      Strategy.LANTERN, Strategy.PAR));

  @Option(names = "--rows", split = ",", paramLabel = "N",
      description = "these rows of the full list only, 1-based; row 1 is ar")
  List<Integer> rowNumbers;

  @Option(names = "--chains", split = ",", paramLabel = "G", description = "draft lengths of the"
      + " chains; several give one exact chain row each, LANTERN chain rows use the first")
  List<Integer> chains = new ArrayList<>(List.of(4));

  @Option(names = "--trees", paramLabel = "D:K:N,...", description = "depth:top-k:nodes of the"
      + " draft trees; several give one exact tree row each, LANTERN rows use the first")
  String treeSpec = "5:" + StrategyParams.DEFAULT.treeTopK() + ":24";

  @Option(names = "--adaptive", split = ",", paramLabel = "G:T", description = "adaptive chains,"
      + " draft_len:draft_threshold; several give one exact row each, LANTERN rows use the first")
  List<String> adaptiveSpec = new ArrayList<>(List.of("12:0.05"));

  @Option(names = "--static", paramLabel = "D:K:N,...", description = "depth:top-k:nodes of"
      + " LANTERN++ static trees; several give one exact row each, LANTERN rows use the first")
  String staticSpec = "8:2:16";

  @Option(names = "--data", paramLabel = "DIR", description = "the Fashion-MNIST files")
  Path data = FashionMnist.DEFAULT_DIR;

  @Option(names = "--json", description = "the last line of output is one JSON object")
  boolean json;

  @Option(names = "--merge", split = ",", paramLabel = "FILE",
      description = "one report from these runs' decode.json (speed-ups stay against each run's ar)")
  List<Path> merge;

  @Option(names = "--llamagen", split = ",", paramLabel = "SIZE",
      description = "LlamaGen sizes (B, L, XL, XXL) with random weights instead: another table")
  List<String> llamagen;

  @Option(names = "--batches", split = ",", description = "with --llamagen: batch sizes")
  List<Integer> batches = new ArrayList<>(List.of(1, 8));

  @Option(names = "--steps", description = "with --llamagen: steps measured per image (1..256)")
  int steps = 256;

  @Option(names = "--vq-images", description = "with --llamagen: images rendered by the VQ decoder")
  int vqImages = 1;

  @Mixin
  SamplingOptions sampling;

  @Mixin
  RunOutput output;

  private final Path checkout;

  BenchDecodeCommand(Path checkout) {
    this.checkout = checkout;
  }

  Path checkout() {
    return checkout;
  }

  /** One row of the table: a strategy with its parameters on a model. */
  record Row(String model, Strategy strategy, StrategyParams params) {}

  static List<Row> rows(int lanternK, List<Integer> chains, List<StrategyParams> adaptive,
      List<StrategyParams> trees, List<StrategyParams> statics) {
    List<Row> rows = new ArrayList<>();
    StrategyParams d = StrategyParams.DEFAULT;
    rows.add(new Row("fm-ar", Strategy.AR, d));
    for (int gamma : chains) {
      rows.add(new Row("fm-ar", Strategy.SPECULATIVE, new StrategyParams(gamma, lanternK, 0)));
    }
    for (StrategyParams form : adaptive) {
      rows.add(exact(form, lanternK));
    }
    for (StrategyParams t : trees) {
      rows.add(exact(t, lanternK));
    }
    for (StrategyParams t : statics) {
      rows.add(exact(t, lanternK));
    }
    for (String rule : new String[] {StrategyParams.BOUNDED, StrategyParams.PAPER}) {
      for (double delta : new double[] {0.05, 0.1, 0.2, LAMBDA}) {
        rows.add(relaxed(trees.get(0), lanternK, delta, rule));
      }
    }
    StrategyParams chain = adaptive.isEmpty() ? new StrategyParams(chains.get(0), lanternK, 0)
        : adaptive.get(0);
    for (String rule : new String[] {StrategyParams.BOUNDED, StrategyParams.PAPER}) {
      for (double delta : new double[] {0.05, 0.1, 0.2, LAMBDA}) {
        rows.add(relaxed(chain, lanternK, delta, rule));
      }
    }
    if (!statics.isEmpty()) {
      for (String rule : new String[] {StrategyParams.BOUNDED, StrategyParams.PAPER}) {
        for (double delta : new double[] {0.1, LAMBDA}) {
          rows.add(relaxed(statics.get(0), lanternK, delta, rule));
        }
      }
    }
    rows.add(new Row("fm-par4", Strategy.PAR, d));
    rows.add(new Row("fm-par16", Strategy.PAR, d));
    return rows;
  }

  /** LANTERN++'s multiplicative bound in the table's λ rows. */
  static final double LAMBDA = 3;

  /** Trees from "depth:top-k:nodes,..." (the flag's words in its errors). */
  static List<StrategyParams> trees(String spec, String flag, String kind) {
    List<StrategyParams> trees = new ArrayList<>();
    if (spec.isBlank()) {
      return trees;
    }
    for (String one : spec.split(",")) {
      String[] f = one.trim().split(":");
      try {
        if (f.length != 3) {
          throw new IllegalArgumentException("expected depth:top-k:nodes, got '" + one + "'");
        }
        trees.add(new StrategyParams(Integer.parseInt(f[0]), 0, 0, StrategyParams.BOUNDED,
            Integer.parseInt(f[1]), Integer.parseInt(f[2]), 0, kind));
      } catch (NumberFormatException e) {
        throw new UsageException(flag + ": expected integers depth:top-k:nodes, got '" + one + "'");
      } catch (IllegalArgumentException e) {
        throw new UsageException(flag + ": " + e.getMessage().replace("draft_len", "depth")
            .replace("tree_top_k", "top-k").replace("tree_tokens", "nodes"));
      }
    }
    return trees;
  }

  /** Adaptive chains from "draft_len:draft_threshold" each. */
  static List<StrategyParams> adaptive(List<String> specs) {
    List<StrategyParams> chains = new ArrayList<>();
    for (String one : specs) {
      String[] f = one.trim().split(":");
      try {
        if (f.length != 2) {
          throw new IllegalArgumentException("expected draft_len:threshold, got '" + one + "'");
        }
        chains.add(new StrategyParams(Integer.parseInt(f[0]), 0, 0, StrategyParams.BOUNDED,
            StrategyParams.DEFAULT.treeTopK(), 0, Double.parseDouble(f[1]),
            StrategyParams.DYNAMIC));
      } catch (NumberFormatException e) {
        throw new UsageException("--adaptive: expected draft_len:threshold, got '" + one + "'");
      } catch (IllegalArgumentException e) {
        throw new UsageException("--adaptive: " + e.getMessage());
      }
    }
    return chains;
  }

  /** An exact speculative row of this drafting form. */
  private static Row exact(StrategyParams form, int lanternK) {
    return new Row("fm-ar", Strategy.SPECULATIVE, new StrategyParams(form.draftLen(), lanternK, 0,
        StrategyParams.BOUNDED, form.treeTopK(), form.treeTokens(), form.draftThreshold(),
        form.treeKind()));
  }

  /** A LANTERN row of this drafting form: δ (> 1: λ) and the rule. */
  private static Row relaxed(StrategyParams form, int lanternK, double delta, String rule) {
    return new Row("fm-ar", Strategy.LANTERN, new StrategyParams(form.draftLen(), lanternK, delta,
        rule, form.treeTopK(), form.treeTokens(), form.draftThreshold(), form.treeKind()));
  }

  @Override
  public Integer call() throws Exception {
    if (llamagen != null) { // LlamaGen sizes with random weights: another table
      return BenchLlamaGenScale.run(this);
    }
    if (merge != null) {
      return merge();
    }
    Ranges.check(spec, "--images", images, 2, 100_000);
    Ranges.check(spec, "--batch", batch, 1, 1024);
    // untimed images per row first (other seeds): the JIT and the allocator warm up on every
    // row's own code path, so the first row measured (ar, the reference) is not the slow one
    Ranges.check(spec, "--warmup", warmup, 0, 10_000);
    Ranges.check(spec, "--resamples", resamples, 10, 100_000);
    Ranges.check(spec, "--lantern-k", lanternK, 0, ModelLoader.LANTERN_MAX_K);
    SamplingParams samplingParams = sampling.params();
    List<StrategyParams> trees = trees(treeSpec, "--trees", StrategyParams.DYNAMIC);
    List<StrategyParams> statics = trees(staticSpec, "--static", StrategyParams.STATIC);
    for (int gamma : chains) {
      Ranges.check(spec, "--chains", gamma, 1, StrategyParams.MAX_DRAFT_LEN);
    }
    List<Row> all = rows(lanternK, chains, adaptive(adaptiveSpec), trees, statics);
    List<Row> rows = new ArrayList<>();
    List<Integer> picked = rowNumbers != null ? rowNumbers
        : java.util.stream.IntStream.rangeClosed(1, all.size()).boxed().toList();
    for (int n : picked) {
      Ranges.check(spec, "--rows", n, 1, all.size());
      if (strategies.contains(all.get(n - 1).strategy())) {
        rows.add(all.get(n - 1));
      }
    }
    Prerequisites.dataset(data, Split.TEST);
    Prerequisites.classifier(Classifier.DEFAULT_DIR);
    Path folder = output.folder(checkout, "bench-decode");
    List<Map<String, Object>> measured = new ArrayList<>();
    List<Map<String, Object>> skipped = new ArrayList<>();
    List<Row> running = new ArrayList<>();
    List<ServedModel> loaded = new ArrayList<>();
    List<ImageBatchRun> runs = new ArrayList<>();
    try (Evaluator evaluator = Evaluator.load(Classifier.DEFAULT_DIR,
        FashionMnist.load(data, Split.TEST))) {
      try {
        for (int i = 0; i < rows.size(); i++) {
          Row row = rows.get(i);
          String reason = load(row, loaded);
          if (reason != null) {
            skipped.add(Map.of("strategy", row.strategy().apiName(), "params", params(row),
                "reason", reason));
            System.out.printf("[%d/%d] %-40s skipped: %s%n", i + 1, rows.size(), label(row), reason);
            continue;
          }
          ServedModel model = loaded.get(loaded.size() - 1);
          if (warmup > 0) {
            ImageBatchRun.run(model, row.strategy(), samplingParams, row.params(), warmup, batch,
                seed + 1_000_000, null);
          }
          running.add(row);
          runs.add(new ImageBatchRun(model, row.strategy(), samplingParams, row.params(), images,
              batch, seed));
        }
        interleave(runs);
        double arSeconds = Double.NaN;
        for (int i = 0; i < running.size(); i++) {
          Row row = running.get(i);
          ImageBatchRun.Result r = runs.get(i).result();
          if (row.strategy() == Strategy.AR && Double.isNaN(arSeconds)) {
            arSeconds = r.secondsPerImage();
          }
          measured.add(measure(evaluator, row, r, arSeconds, i + 1, running.size()));
        }
      } finally {
        runs.forEach(ImageBatchRun::close);
        loaded.forEach(ServedModel::close);
      }
    }
    DecodeReport.write(folder, measured, skipped, images, batch, seed, warmup, samplingParams,
        resamples);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("command", "./tessera " + String.join(" ", spec.commandLine()
        .getParseResult().originalArgs()));
    run.put("rows", measured);
    run.put("skipped", skipped);
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(
        folder.resolve("decode.json").toFile(), run);
    finish(folder);
    if (json) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("rows", measured);
      j.put("skipped", skipped);
      System.out.println(new ObjectMapper().writeValueAsString(j));
    }
    return 0;
  }

  /**
   * Loads a row's model into {@code loaded}; the reason it cannot run (no such model, or the model
   * does not serve the strategy) or null.
   */
  private String load(Row row, List<ServedModel> loaded) {
    ServedModel model;
    try {
      model = ModelLoader.load(models.resolve(row.model()));
    } catch (IOException e) {
      return e.getMessage();
    }
    if (!model.info().strategies().contains(row.strategy())) {
      model.close();
      return row.model() + " does not support " + row.strategy().apiName();
    }
    loaded.add(model);
    return null;
  }

  /**
   * Decodes every row's images in rounds of one batch each, row after row, so that a change of load
   * on the shared machine falls on every row alike; prints each round with an ETA.
   */
  private void interleave(List<ImageBatchRun> runs) {
    long started = System.nanoTime();
    int rounds = (images + batch - 1) / batch;
    for (int round = 0; round < rounds; round++) {
      int from = round * batch;
      int to = Math.min(images, from + batch);
      for (ImageBatchRun run : runs) {
        run.decode(from, to, null);
      }
      int done = round + 1;
      if (done % Math.max(1, rounds / 20) == 0 || done == rounds) {
        double secs = (System.nanoTime() - started) / 1e9;
        System.err.printf("  round %d/%d (%d images per row), %.0f s, ETA %.0f s%n", done, rounds,
            to, secs, secs / done * (rounds - done));
      }
    }
  }

  private Map<String, Object> measure(Evaluator evaluator, Row row, ImageBatchRun.Result r,
      double arSeconds, int index, int count) {
    Evaluator.Score score = evaluator.score(r.images(), r.labels());
    BootstrapInterval interval = evaluator.interval(r.images(), r.labels(), resamples, seed);
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
    System.out.printf("[%d/%d] %-40s %6.1f fwd/img  %.2f tok/fwd  %.3f s/img  %.2fx  acc %.3f"
        + "  FD %.2f [%.2f, %.2f]%n", index, count, label(row), r.targetForwardsPerImage(),
        r.meanAcceptedLength(), r.secondsPerImage(), arSeconds / r.secondsPerImage(),
        score.classAccuracy(), score.frechetDistance(), interval.frechetLow(),
        interval.frechetHigh());
    return m;
  }

  /** --merge: one report (decode.md, decode.png) from several runs' decode.json. */
  @SuppressWarnings("unchecked")
  private int merge() throws IOException {
    List<Map<String, Object>> runs = new ArrayList<>();
    for (Path p : merge) {
      if (!Files.isRegularFile(p)) {
        throw Ranges.usage(spec, "--merge: no such file " + p);
      }
      runs.add(new ObjectMapper().readValue(p.toFile(), Map.class));
    }
    Path folder = output.folder(checkout, "bench-decode-merge");
    DecodeReport.writeMerged(folder, runs);
    finish(folder);
    return 0;
  }

  /** Says where the report is, and publishes it with --publish. */
  private void finish(Path folder) throws IOException {
    System.out.println("wrote " + folder.resolve("decode.md") + " and "
        + folder.resolve("decode.png"));
    output.publish(checkout, folder.resolve("decode.md"), "docs/benchmarks/decode.md", System.out);
    output.publish(checkout, folder.resolve("decode.png"), "docs/benchmarks/decode.png",
        System.out);
  }

  static Map<String, Object> params(Row row) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("model", row.model());
    StrategyParams sp = row.params();
    if (row.strategy() == Strategy.SPECULATIVE || row.strategy() == Strategy.LANTERN) {
      p.put("draft_len", sp.draftLen());
      if (sp.draftThreshold() > 0) {
        p.put("draft_threshold", sp.draftThreshold());
      }
      if (sp.tree()) {
        p.put("tree_kind", sp.treeKind());
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
