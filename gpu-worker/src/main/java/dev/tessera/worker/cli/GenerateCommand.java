package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.decoding.DecodeJob;
import dev.tessera.decoding.DecodeOutput;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.serving.ServedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./tessera generate}: decodes one image locally (no Kafka), writes the PNG and prints the
 * decode metrics as one JSON object on the last line.
 */
final class GenerateCommand implements Command {

  private static final String USAGE = """
      usage: ./tessera generate --model fm-ar --class C [--strategy ar] [--seed N] --out F.png
                 [--cfg-scale 2.0] [--temperature 1.0] [--top-k 0] [--top-p 1.0] [--models models]""";

  @Override
  public String name() {
    return "generate";
  }

  @Override
  public String summary() {
    return "decode one image locally and print its decode metrics as JSON";
  }

  @Override
  public int run(String[] args) throws Exception {
    Set<String> valued = new HashSet<>(ModelFlags.VALUED);
    valued.addAll(Set.of("class", "strategy", "seed", "out"));
    CommandFlags f;
    ServedModel model;
    DecodeJob job;
    Path out;
    try {
      f = CommandFlags.parse(args, valued, Set.of());
      if (!f.has("class") || !f.has("out")) {
        throw new UsageException("--class and --out are required");
      }
      out = f.path("out", null);
      Strategy strategy;
      try {
        strategy = Strategy.fromApiName(f.string("strategy", "ar"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--strategy: " + e.getMessage());
      }
      model = ModelFlags.load(f, "fm-ar");
      int classes = model.info().numClasses();
      int label = f.integer("class", 0, 0, classes - 1);
      job = new DecodeJob("cli", label, f.longValue("seed", 0), ModelFlags.sampling(f), strategy,
          StrategyParams.DEFAULT);
      if (!model.info().strategies().contains(strategy)) {
        throw new UsageException("--strategy " + strategy.apiName() + " is not supported by "
            + model.info().name() + " (supported: " + model.info().strategies() + ")");
      }
    } catch (UsageException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    try (model; StepDecoder decoder = model.newDecoder(job.strategy(), 1)) {
      long started = System.nanoTime();
      DecodeOutput result = decoder.decodeAll(List.of(job)).get(0);
      double seconds = (System.nanoTime() - started) / 1e9;
      byte[] png = model.toPng(result.tokens());
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      Files.write(out, png);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("model", model.info().name());
      json.put("class", job.classLabel());
      json.put("strategy", job.strategy().apiName());
      json.put("seed", job.seed());
      json.put("steps", result.metrics().steps());
      json.put("target_forwards", result.metrics().targetForwards());
      json.put("drafter_forwards", result.metrics().drafterForwards());
      json.put("mean_accepted_length", result.metrics().meanAcceptedLength());
      json.put("seconds", Math.round(seconds * 1000) / 1000.0);
      json.put("out", out.toString());
      System.out.println(new ObjectMapper().writeValueAsString(json));
    }
    return 0;
  }
}
