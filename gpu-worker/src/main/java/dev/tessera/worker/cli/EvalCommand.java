package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.eval.Evaluator;
import dev.tessera.serving.ServedModel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./tessera eval}: generates N images spread over the classes, scores class accuracy (by
 * fm-classifier) and the Fréchet distance of its features to the test split, writes a sample grid,
 * and with {@code --json} prints one JSON object as its last line.
 */
final class EvalCommand implements Command {

  private static final String USAGE = """
      usage: ./tessera eval --model fm-ar [--strategy ar] [--images 500] [--seed 1] [--batch 32]
                 [--grid docs/samples/MODEL-STRATEGY.png] [--json] [--cfg-scale 2.0]
                 [--temperature 1.0] [--top-k 0] [--top-p 1.0] [--draft-len 4] [--lantern-k 16]
                 [--lantern-delta 0.1] [--lantern-rule bounded|paper] [--tree-top-k 4]
                 [--tree-tokens 12 (0: a chain of --draft-len)]
      Needs the Fashion-MNIST test split: apt-get install -y dataset-fashion-mnist""";

  @Override
  public String name() {
    return "eval";
  }

  @Override
  public String summary() {
    return "generate N images and score class accuracy and Fréchet distance; writes a sample grid";
  }

  @Override
  public int run(String[] args) throws Exception {
    Set<String> valued = new HashSet<>(ModelFlags.VALUED);
    valued.addAll(Set.of("strategy", "images", "seed", "batch", "grid"));
    valued.addAll(ImageBatchRun.STRATEGY_FLAGS);
    CommandFlags f;
    ServedModel model;
    Strategy strategy;
    StrategyParams params;
    try {
      f = CommandFlags.parse(args, valued, Set.of("json"));
      try {
        strategy = Strategy.fromApiName(f.string("strategy", "ar"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--strategy: " + e.getMessage());
      }
      params = ImageBatchRun.strategyParams(f);
      model = ModelFlags.load(f, "fm-ar");
      if (!model.info().strategies().contains(strategy)) {
        model.close();
        throw new UsageException("--strategy " + strategy.apiName() + " is not supported by "
            + model.info().name() + " (supported: " + model.info().strategies() + ")");
      }
    } catch (UsageException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    int images = f.integer("images", 500, 2, 100_000);
    long seed = f.longValue("seed", 1);
    String name = model.info().name();
    Path grid = f.path("grid", Path.of("docs", "samples", name + "-" + strategy.apiName() + ".png"));
    ImageBatchRun.Result r;
    try (model) {
      r = ImageBatchRun.run(model, strategy, ModelFlags.sampling(f), params, images,
          f.integer("batch", 32, 1, 1024), seed, "eval " + name);
    }
    Evaluator.Score score;
    try (Evaluator evaluator = Evaluator.load()) {
      score = evaluator.score(r.images(), r.labels());
    }
    Evaluator.writeGrid(grid, r.images(), r.labels(), 10);
    System.out.printf("%s %s: %d images, class accuracy %.4f, Fréchet distance %.3f, %.3f s/image, "
        + "%.1f target forwards/image; grid %s%n", name, strategy.apiName(), images,
        score.classAccuracy(), score.frechetDistance(), r.secondsPerImage(),
        r.targetForwardsPerImage(), grid);
    if (f.has("json")) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("model", name);
      json.put("strategy", strategy.apiName());
      json.put("images", images);
      json.put("seed", seed);
      json.put("class_accuracy", score.classAccuracy());
      json.put("frechet_distance", score.frechetDistance());
      json.put("seconds_per_image", r.secondsPerImage());
      json.put("target_forwards_per_image", r.targetForwardsPerImage());
      json.put("grid", grid.toString());
      System.out.println(new ObjectMapper().writeValueAsString(json));
    }
    return 0;
  }
}
