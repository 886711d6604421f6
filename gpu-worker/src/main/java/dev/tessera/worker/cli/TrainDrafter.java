package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.data.Split;
import dev.tessera.serving.GptServedModel;
import dev.tessera.serving.ModelLoader;
import dev.tessera.serving.ModelSpec;
import dev.tessera.tokenizer.VqTokenizer;
import dev.tessera.train.Checkpoints;
import dev.tessera.train.DrafterTrainer;
import dev.tessera.train.TokenDataset;
import dev.tessera.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./tessera train fm-drafter}: trains the EAGLE drafter on the frozen target's features,
 * exports {@code models/fm-drafter/}, links it from the target's config, and reports top-1 agreement
 * with the target on 500 held-out test images.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains the EAGLE drafter on the frozen target's features, exports"
        + " models/fm-drafter/ and links it from the target's config.",
        "Needs a trained target (./tessera train fm-ar)."})
final class TrainDrafter implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--target", paramLabel = "NAME", description = "the target model")
  String target = "fm-ar";

  @Option(names = "--steps", description = "optimizer steps in all")
  int steps = 2000;

  @Option(names = "--batch", description = "images per step (1..1024)")
  int batch = 16;

  @Option(names = "--lr", description = "peak learning rate")
  double lr = 1e-3;

  @Option(names = "--warmup", description = "warm-up steps")
  int warmup = 100;

  @Option(names = "--seed", description = "seed of the initial weights and the data order")
  long seed = 1;

  @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "steps between checkpoints")
  int checkpointEvery = 250;

  @Option(names = "--stop-at", paramLabel = "STEP", description = "stop (with a checkpoint) at this step")
  int stopAt = Integer.MAX_VALUE;

  @Option(names = "--fresh", description = "ignore an existing checkpoint")
  boolean fresh;

  @Option(names = "--checkpoints", paramLabel = "DIR", description = "checkpoint directory")
  Path checkpoints = Path.of(".tessera", "checkpoints");

  @Option(names = "--models", paramLabel = "DIR", description = "directory of the models")
  Path models = Path.of("models");

  @Option(names = "--data", paramLabel = "DIR", description = "the tokenised dataset's cache")
  Path data = TokenDataset.DEFAULT_DIR;

  @Override
  public Integer call() throws Exception {
    Ranges.check(spec, "--steps", steps, 1, 1_000_000);
    Ranges.check(spec, "--batch", batch, 1, 1024);
    Ranges.check(spec, "--warmup", warmup, 0, 1_000_000);
    Ranges.check(spec, "--checkpoint-every", checkpointEvery, 1, 1_000_000);
    Ranges.check(spec, "--stop-at", stopAt, 1, Integer.MAX_VALUE);
    String targetName = target;
    Path targetDir = Prerequisites.model(models, targetName,
        "train it first: ./tessera train " + targetName);
    Prerequisites.model(models, "fm-vq", "fit it with: ./tessera tokenizer fit");
    TrainCommand.tokensOrDataset(data);
    Path ckpt = checkpoints.resolve("fm-drafter");
    TrainConfig train = new TrainConfig(steps, batch, lr, warmup, 0.1, 0.0, 0.1, 1.0, seed,
        checkpointEvery);
    VqTokenizer tokenizer = VqTokenizer.load(models.resolve("fm-vq"));
    TokenDataset dataset = TokenDataset.loadOrEncode(Split.TRAIN, tokenizer, data,
        System.out::println);
    TokenDataset test = TokenDataset.loadOrEncode(Split.TEST, tokenizer, data,
        System.out::println);
    try (GptServedModel target = (GptServedModel) ModelLoader.load(targetDir)) {
      boolean resume = !fresh && Checkpoints.exists(ckpt);
      System.out.printf("fm-drafter over %s: %s%n", targetName,
          resume ? "resuming from " + ckpt : "fresh start");
      try (DrafterTrainer trainer = resume ? DrafterTrainer.resume(ckpt, target.gpt(), System.out)
          : new DrafterTrainer(target.gpt(), train, System.out)) {
        double loss = trainer.run(TrainCommand.images(dataset), ckpt, stopAt);
        double agreement = trainer.topOneAgreement(TrainCommand.images(test), 0, 500);
        System.out.printf("step %d; mean loss of the last 50 steps %.4f; held-out top-1 agreement with"
            + " %s %.4f (500 test images, teacher forcing)%n", trainer.step(), loss, targetName,
            agreement);
        Path out = models.resolve("fm-drafter");
        Files.createDirectories(out);
        Checkpoints.exportWeights(trainer, out.resolve("model.safetensors"));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(out.resolve("config.json").toFile(), new ModelSpec("fm-drafter",
            target.gpt().config(), "../fm-vq", null, null, "../" + targetName));
        ModelSpec spec = ModelLoader.readSpec(targetDir);
        json.writeValue(targetDir.resolve("config.json").toFile(), new ModelSpec(spec.name(),
            spec.gpt(), spec.tokenizer(), "../fm-drafter", spec.defaultSampling(), null));
        System.out.println("exported " + out + " and linked it from " + targetDir);
      }
    }
    return 0;
  }
}
