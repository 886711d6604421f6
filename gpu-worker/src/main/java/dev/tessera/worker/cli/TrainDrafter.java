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
import java.util.Set;

/**
 * {@code ./tessera train fm-drafter}: trains the EAGLE drafter on the frozen target's features,
 * exports {@code models/fm-drafter/}, links it from the target's config, and reports top-1 agreement
 * with the target on 500 held-out test images.
 */
final class TrainDrafter {

  int run(String[] args) throws Exception {
    CommandFlags f;
    try {
      f = CommandFlags.parse(args, Set.of("target", "steps", "batch", "lr", "warmup", "seed",
          "checkpoint-every", "stop-at", "checkpoints", "models", "data"), Set.of("fresh"));
    } catch (UsageException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    Path models = f.path("models", Path.of("models"));
    String targetName = f.string("target", "fm-ar");
    Path targetDir = models.resolve(targetName);
    if (!Files.isDirectory(targetDir)) {
      System.err.println("--target " + targetName + ": no model directory " + targetDir
          + " (train it first: ./tessera train " + targetName + ")");
      return 2;
    }
    Path ckpt = f.path("checkpoints", Path.of(".tessera", "checkpoints")).resolve("fm-drafter");
    TrainConfig train = new TrainConfig(
        f.integer("steps", 2000, 1, 1_000_000), f.integer("batch", 16, 1, 1024),
        f.decimal("lr", 1e-3), f.integer("warmup", 100, 0, 1_000_000), 0.1, 0.0, 0.1, 1.0,
        f.longValue("seed", 1), f.integer("checkpoint-every", 250, 1, 1_000_000));
    VqTokenizer tokenizer = VqTokenizer.load(models.resolve("fm-vq"));
    TokenDataset data = TokenDataset.loadOrEncode(Split.TRAIN, tokenizer,
        f.path("data", TokenDataset.DEFAULT_DIR), System.out::println);
    TokenDataset test = TokenDataset.loadOrEncode(Split.TEST, tokenizer,
        f.path("data", TokenDataset.DEFAULT_DIR), System.out::println);
    try (GptServedModel target = (GptServedModel) ModelLoader.load(targetDir)) {
      boolean resume = !f.has("fresh") && Checkpoints.exists(ckpt);
      System.out.printf("fm-drafter over %s: %s%n", targetName,
          resume ? "resuming from " + ckpt : "fresh start");
      try (DrafterTrainer trainer = resume ? DrafterTrainer.resume(ckpt, target.gpt(), System.out)
          : new DrafterTrainer(target.gpt(), train, System.out)) {
        double loss = trainer.run(TrainCommand.images(data), ckpt,
            f.integer("stop-at", Integer.MAX_VALUE, 1, Integer.MAX_VALUE));
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
