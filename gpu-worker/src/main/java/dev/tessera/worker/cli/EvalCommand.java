package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.data.FashionMnist;
import dev.tessera.data.Split;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.eval.Classifier;
import dev.tessera.eval.Evaluator;
import dev.tessera.contract.SamplingParams;
import dev.tessera.serving.ServedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./tessera eval}: generates N images spread over the classes, scores class accuracy (by
 * fm-classifier) and the Fréchet distance of its features to the test split, and writes a sample
 * grid and {@code eval.json} to the run's folder ({@code docs/samples/} too with --publish).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Generate N images; score class accuracy and Fréchet distance.",
        "Generates N images spread over the classes and scores class accuracy (by"
        + " fm-classifier) and the Fréchet distance of its features to the test split; writes a"
        + " sample grid and eval.json to the run's folder.",
        "Needs the Fashion-MNIST test split: apt-get install -y dataset-fashion-mnist"})
final class EvalCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ModelOptions model;

  @Option(names = "--strategy", converter = StrategyConverter.class, defaultValue = "ar",
      description = "ar, speculative, lantern or par")
  Strategy strategy;

  @Option(names = "--images", description = "images to generate (2..100000)")
  int images = 500;

  @Option(names = "--seed", description = "seed of the first image (image i: seed + i)")
  long seed = 1;

  @Option(names = "--batch", description = "images decoded at once (1..1024)")
  int batch = 32;

  @Option(names = "--grid", paramLabel = "FILE.png",
      description = "also write the sample grid here")
  Path grid;

  @Option(names = "--json", description = "the last line of output is one JSON object")
  boolean json;

  @Option(names = "--data", paramLabel = "DIR", description = "the Fashion-MNIST files")
  Path data = FashionMnist.DEFAULT_DIR;

  @Option(names = "--classifier", paramLabel = "DIR", description = "the fm-classifier model")
  Path classifier = Classifier.DEFAULT_DIR;

  @Mixin
  SamplingOptions sampling;

  @Mixin
  StrategyOptions strategyOptions;

  @Mixin
  RunOutput output;

  private final Path checkout;

  EvalCommand(Path checkout) {
    this.checkout = checkout;
  }

  @Override
  public Integer call() throws Exception {
    Ranges.check(spec, "--images", images, 2, 100_000);
    Ranges.check(spec, "--batch", batch, 1, 1024);
    StrategyParams params = strategyOptions.params();
    SamplingParams samplingParams = sampling.params();
    Prerequisites.dataset(data, Split.TEST);
    Prerequisites.classifier(classifier);
    ServedModel served = model.load();
    String name = served.info().name();
    if (!served.info().strategies().contains(strategy)) {
      served.close();
      throw Ranges.usage(spec, "--strategy " + strategy.apiName() + " is not supported by " + name
          + " (supported: " + served.info().strategies() + ")");
    }
    Path folder = output.folder(checkout, "eval-" + name + "-" + strategy.apiName());
    ImageBatchRun.Result r;
    try (served) {
      r = ImageBatchRun.run(served, strategy, samplingParams, params, images, batch, seed,
          "eval " + name);
    }
    Evaluator.Score score;
    try (Evaluator evaluator = Evaluator.load(classifier, FashionMnist.load(data, Split.TEST))) {
      score = evaluator.score(r.images(), r.labels());
    }
    Path runGrid = folder.resolve(name + "-" + strategy.apiName() + ".png");
    Evaluator.writeGrid(runGrid, r.images(), r.labels(), 10);
    if (grid != null) {
      Evaluator.writeGrid(grid, r.images(), r.labels(), 10);
    }
    output.publish(checkout, runGrid, "docs/samples/" + runGrid.getFileName(), System.out);
    System.out.printf("%s %s: %d images, class accuracy %.4f, Fréchet distance %.3f, %.3f s/image, "
        + "%.1f target forwards/image; grid %s%n", name, strategy.apiName(), images,
        score.classAccuracy(), score.frechetDistance(), r.secondsPerImage(),
        r.targetForwardsPerImage(), grid != null ? grid : runGrid);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", name);
    report.put("strategy", strategy.apiName());
    report.put("images", images);
    report.put("seed", seed);
    report.put("class_accuracy", score.classAccuracy());
    report.put("frechet_distance", score.frechetDistance());
    report.put("seconds_per_image", r.secondsPerImage());
    report.put("target_forwards_per_image", r.targetForwardsPerImage());
    report.put("grid", (grid != null ? grid : runGrid).toString());
    Files.writeString(folder.resolve("eval.json"), new ObjectMapper()
        .writerWithDefaultPrettyPrinter().writeValueAsString(report));
    System.out.println("wrote " + folder);
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(report));
    }
    return 0;
  }
}
