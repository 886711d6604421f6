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
 * {@code ./tessera generate}: decodes one image locally (no Kafka), writes the PNG and prints the
 * decode metrics as one JSON object on the last line.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Decode one image locally and print its decode metrics as JSON.",
        "Decodes one image locally (no Kafka), writes the PNG and prints its decode"
        + " metrics as one JSON object on the last line."})
final class GenerateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ModelOptions model;

  @Option(names = "--class", required = true, paramLabel = "C", description = "class label")
  int label;

  @Option(names = "--strategy", converter = StrategyConverter.class, defaultValue = "ar",
      description = "ar, speculative, lantern or par")
  Strategy strategy;

  @Option(names = "--seed", description = "the image's random seed")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "F.png", description = "the PNG to write")
  Path out;

  @Mixin
  SamplingOptions sampling;

  @Override
  public Integer call() throws Exception {
    model.directory();
    DecodeJob job;
    ServedModel served = model.load();
    try {
      Ranges.check(spec, "--class", label, 0, served.info().numClasses() - 1);
      if (!served.info().strategies().contains(strategy)) {
        throw Ranges.usage(spec, "--strategy " + strategy.apiName() + " is not supported by "
            + served.info().name() + " (supported: " + served.info().strategies() + ")");
      }
      job = new DecodeJob("cli", label, seed, sampling.params(), strategy, StrategyParams.DEFAULT);
    } catch (RuntimeException e) {
      served.close();
      throw e;
    }
    try (served; StepDecoder decoder = served.newDecoder(job.strategy(), 1)) {
      long started = System.nanoTime();
      DecodeOutput result = decoder.decodeAll(List.of(job)).get(0);
      double seconds = (System.nanoTime() - started) / 1e9;
      byte[] png = served.toPng(result.tokens());
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      Files.write(out, png);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("model", served.info().name());
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
