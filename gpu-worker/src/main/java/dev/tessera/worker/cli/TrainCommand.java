package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.data.FashionMnist;
import dev.tessera.data.Split;
import dev.tessera.model.GptConfig;
import dev.tessera.serving.ModelLoader;
import dev.tessera.serving.ModelSpec;
import dev.tessera.tokenizer.VqTokenizer;
import dev.tessera.train.Checkpoints;
import dev.tessera.train.GptTrainer;
import dev.tessera.train.TokenDataset;
import dev.tessera.train.TokenImages;
import dev.tessera.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./tessera train MODEL}: trains a shipped generative model (fm-ar, fm-par4, fm-par16) from the
 * tokenised Fashion-MNIST training split, with checkpoints and resume, and exports it to
 * {@code models/MODEL/}. {@code fm-drafter} and {@code fm-classifier} are their own subcommands.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train a shipped model: fm-ar, fm-par4, fm-par16, fm-drafter, fm-classifier.",
        "Trains a shipped model; resumes from .tessera/checkpoints/MODEL when a"
        + " checkpoint exists (unless --fresh).", "PAR models fine-tune from the raster model"
        + " (models/fm-ar) by default."})
final class TrainCommand extends CommandGroup {

  /** The group with one subcommand per model. */
  static CommandLine commandLine() {
    CommandLine train = new CommandLine(new TrainCommand());
    train.addSubcommand("fm-ar", new Gpt(1));
    train.addSubcommand("fm-par4", new Gpt(4));
    train.addSubcommand("fm-par16", new Gpt(16));
    train.addSubcommand("fm-drafter", new TrainDrafter());
    train.addSubcommand(new CommandLine(new TrainClassifierCommand())
        .setCommandName("fm-classifier"));
    return train;
  }

  /** {@code train fm-ar|fm-par4|fm-par16}: the transformer, raster or PAR order. */
  @Command(mixinStandardHelpOptions = true, sortOptions = false,
      description = "Trains the transformer from the tokenised Fashion-MNIST training split and"
          + " exports it to models/<name>/.")
  static final class Gpt implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--steps", description = "optimizer steps in all (1..1000000)")
    Integer steps;

    @Option(names = "--batch", description = "images per step (1..1024)")
    int batch = 16;

    @Option(names = "--lr", description = "peak learning rate")
    Double lr;

    @Option(names = "--warmup", description = "warm-up steps")
    int warmup = 300;

    @Option(names = "--seed", description = "seed of the initial weights and the data order")
    long seed = 1;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "steps between checkpoints")
    int checkpointEvery = 250;

    @Option(names = "--stop-at", paramLabel = "STEP", description = "stop (with a checkpoint) at this step")
    Integer stopAt;

    @Option(names = "--fresh", description = "ignore an existing checkpoint")
    boolean fresh;

    @Option(names = "--checkpoints", paramLabel = "DIR", description = "checkpoint directory")
    Path checkpoints = Path.of(".tessera", "checkpoints");

    @Option(names = "--models", paramLabel = "DIR", description = "directory of the models")
    Path models = Path.of("models");

    @Option(names = "--data", paramLabel = "DIR", description = "the tokenised dataset's cache")
    Path data = TokenDataset.DEFAULT_DIR;

    @Option(names = "--init", paramLabel = "DIR|none",
        description = "weights to start from (PAR models: models/fm-ar by default)")
    String init;

    private final int parallel;

    Gpt(int parallel) {
      this.parallel = parallel;
    }

    @Override
    public Integer call() throws Exception {
      String name = spec.name();
      int totalSteps = Ranges.check(spec, "--steps", steps != null ? steps : 5000, 1, 1_000_000);
      Ranges.check(spec, "--batch", batch, 1, 1024);
      Ranges.check(spec, "--warmup", warmup, 0, 1_000_000);
      Ranges.check(spec, "--checkpoint-every", checkpointEvery, 1, 1_000_000);
      int stop = Ranges.check(spec, "--stop-at", stopAt != null ? stopAt : Integer.MAX_VALUE, 1,
          Integer.MAX_VALUE);
      Path ckpt = checkpoints.resolve(name);
      boolean resume = !fresh && Checkpoints.exists(ckpt);
      Path initFile = resume ? null : initWeights();
      Prerequisites.model(models, "fm-vq", "fit it with: ./tessera tokenizer fit");
      tokensOrDataset(data);
      VqTokenizer tokenizer = VqTokenizer.load(models.resolve("fm-vq"));
      GptConfig gpt = ModelLoader.FM_CONFIG.withParallelTokens(parallel);
      TrainConfig train = new TrainConfig(totalSteps, batch, lr != null ? lr : 8e-4, warmup, 0.1,
          0.05, 0.1, 1.0, seed, checkpointEvery);
      TokenDataset dataset = TokenDataset.loadOrEncode(Split.TRAIN, tokenizer, data,
          System.out::println);
      System.out.printf("%s: %s, %,d parameters, %d training images, %s%n", name, gpt,
          gpt.parameterCount(), dataset.size(), resume ? "resuming from " + ckpt : "fresh start");
      long started = System.nanoTime();
      TrainConfig override = null;
      if (resume && (lr != null || steps != null)) { // continue with a new peak lr or length
        TrainConfig old = Checkpoints.readState(ckpt).train();
        override = new TrainConfig(steps != null ? train.steps() : old.steps(), old.batch(),
            lr != null ? train.peakLr() : old.peakLr(), old.warmupSteps(), old.finalLrFraction(),
            old.weightDecay(), old.classDropout(), old.clipNorm(), old.seed(),
            old.checkpointEvery());
        System.out.println("resuming with " + override.steps() + " steps, peak learning rate "
            + override.peakLr());
      }
      try (GptTrainer trainer = resume ? Checkpoints.resume(ckpt, System.out, override)
          : initFile != null ? GptTrainer.warmStarted(gpt, train, System.out, initFile)
          : new GptTrainer(gpt, train, System.out)) {
        double loss = trainer.run(images(dataset), ckpt, stop);
        System.out.printf("stopped at step %d; mean loss of the last 50 steps %.4f; %.1f min this"
            + " run%n", trainer.step(), loss, (System.nanoTime() - started) / 6e10);
        Path out = models.resolve(name);
        Files.createDirectories(out);
        Checkpoints.exportWeights(trainer, out.resolve("model.safetensors"));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(
            out.resolve("config.json").toFile(), ModelSpec.served(name, gpt, "../fm-vq", null));
        System.out.println("exported " + out + " (step " + trainer.step() + ")");
      }
      return 0;
    }

    /** PAR models start from the raster model's weights unless {@code --init none}. */
    private Path initWeights() {
      String given = init != null ? init
          : parallel > 1 ? models.resolve("fm-ar").toString() : "none";
      if (given.equals("none")) {
        return null;
      }
      Path dir = Path.of(given);
      Path file = Files.isDirectory(dir) ? dir.resolve("model.safetensors") : dir;
      if (!Files.isRegularFile(file)) {
        if (init == null) {
          System.out.println("no " + file + " to start from; training from random weights");
          return null;
        }
        throw Ranges.usage(spec, "--init: no weights at " + file);
      }
      return file;
    }
  }

  /**
   * The training split must be tokenised already (in {@code cache}) or Fashion-MNIST installed to
   * tokenise it: said at once, before any model is built.
   */
  static void tokensOrDataset(Path cache) {
    Path tokens = cache.resolve("fm-tokens-" + Split.TRAIN.name().toLowerCase(Locale.ROOT)
        + ".safetensors");
    if (!Files.isRegularFile(tokens)) {
      Prerequisites.dataset(FashionMnist.DEFAULT_DIR, Split.TRAIN);
    }
  }

  static TokenImages images(TokenDataset data) {
    return new TokenImages() {
      @Override
      public int size() {
        return data.size();
      }

      @Override
      public int[] tokens(int i) {
        short[] s = data.tokens()[i];
        int[] t = new int[s.length];
        for (int k = 0; k < s.length; k++) {
          t[k] = s[k];
        }
        return t;
      }

      @Override
      public int label(int i) {
        return data.labels()[i];
      }
    };
  }
}
