package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import java.util.Set;

/**
 * {@code ./tessera train MODEL}: trains a shipped generative model (fm-ar, fm-par4, fm-par16) from the
 * tokenised Fashion-MNIST training split, with checkpoints and resume, and exports it to
 * {@code models/MODEL/}. {@code fm-classifier} is routed to the classifier trainer.
 */
final class TrainCommand implements Command {

  private static final String USAGE = """
      usage: ./tessera train fm-ar|fm-par4|fm-par16|fm-drafter [--steps 5000] [--batch 16] [--lr 8e-4]
                 [--warmup 300] [--seed 1] [--checkpoint-every 250] [--stop-at STEP] [--fresh]
                 [--checkpoints .tessera/checkpoints] [--models models] [--data DIR]
                 [--init models/fm-ar|none]   (PAR models: fine-tune from the raster model, default)
             ./tessera train fm-drafter [--target fm-ar] [same flags]   (needs a trained target)
             ./tessera train fm-classifier [...]   (see ./tessera train-classifier --help)
      Resumes from .tessera/checkpoints/MODEL when a checkpoint exists (unless --fresh).""";

  @Override
  public String name() {
    return "train";
  }

  @Override
  public String summary() {
    return "train a shipped model (fm-ar, fm-par4, fm-par16, fm-classifier); resumes from checkpoints";
  }

  @Override
  public int run(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("fm-classifier")) {
      String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
      String[] routed = new String[rest.length + 1];
      routed[0] = "train-classifier";
      System.arraycopy(rest, 0, routed, 1, rest.length);
      return Cli.run(routed);
    }
    if (args.length == 0 || args[0].startsWith("--")) {
      System.err.println("missing MODEL\n" + USAGE);
      return 2;
    }
    String name = args[0];
    if (name.equals("fm-drafter")) {
      return new TrainDrafter().run(java.util.Arrays.copyOfRange(args, 1, args.length));
    }
    int parallel = switch (name) {
      case "fm-ar" -> 1;
      case "fm-par4" -> 4;
      case "fm-par16" -> 16;
      default -> -1;
    };
    if (parallel < 0) {
      System.err.println("unknown model '" + name + "'\n" + USAGE);
      return 2;
    }
    CommandFlags f;
    try {
      f = CommandFlags.parse(java.util.Arrays.copyOfRange(args, 1, args.length),
          Set.of("steps", "batch", "lr", "warmup", "seed", "checkpoint-every", "stop-at",
              "checkpoints", "models", "data", "init"),
          Set.of("fresh"));
    } catch (UsageException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    Path models = f.path("models", Path.of("models"));
    Path ckpt = f.path("checkpoints", Path.of(".tessera", "checkpoints")).resolve(name);
    VqTokenizer tokenizer = VqTokenizer.load(models.resolve("fm-vq"));
    GptConfig gpt = ModelLoader.FM_CONFIG.withParallelTokens(parallel);
    TrainConfig train = new TrainConfig(
        f.integer("steps", 5000, 1, 1_000_000), f.integer("batch", 16, 1, 1024),
        f.decimal("lr", 8e-4), f.integer("warmup", 300, 0, 1_000_000), 0.1, 0.05, 0.1, 1.0,
        f.longValue("seed", 1), f.integer("checkpoint-every", 250, 1, 1_000_000));
    TokenDataset data = TokenDataset.loadOrEncode(Split.TRAIN, tokenizer,
        f.path("data", TokenDataset.DEFAULT_DIR), System.out::println);
    boolean resume = !f.has("fresh") && Checkpoints.exists(ckpt);
    Path init;
    try {
      init = resume ? null : initWeights(f, parallel, models);
    } catch (UsageException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    System.out.printf("%s: %s, %,d parameters, %d training images, %s%n", name, gpt,
        gpt.parameterCount(), data.size(), resume ? "resuming from " + ckpt : "fresh start");
    long started = System.nanoTime();
    TrainConfig override = null;
    if (resume && (f.has("lr") || f.has("steps"))) { // continue with a new peak lr or length
      TrainConfig old = Checkpoints.readState(ckpt).train();
      override = new TrainConfig(f.has("steps") ? train.steps() : old.steps(), old.batch(),
          f.has("lr") ? train.peakLr() : old.peakLr(), old.warmupSteps(), old.finalLrFraction(),
          old.weightDecay(), old.classDropout(), old.clipNorm(), old.seed(), old.checkpointEvery());
      System.out.println("resuming with " + override.steps() + " steps, peak learning rate "
          + override.peakLr());
    }
    try (GptTrainer trainer = resume ? Checkpoints.resume(ckpt, System.out, override)
        : init != null ? GptTrainer.warmStarted(gpt, train, System.out, init)
        : new GptTrainer(gpt, train, System.out)) {
      int stopAt = f.integer("stop-at", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
      double loss = trainer.run(images(data), ckpt, stopAt);
      System.out.printf("stopped at step %d; mean loss of the last 50 steps %.4f; %.1f min this run%n",
          trainer.step(), loss, (System.nanoTime() - started) / 6e10);
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
  private static Path initWeights(CommandFlags f, int parallel, Path models) throws UsageException {
    String given = f.string("init", parallel > 1 ? models.resolve("fm-ar").toString() : "none");
    if (given.equals("none")) {
      return null;
    }
    Path dir = Path.of(given);
    Path file = Files.isDirectory(dir) ? dir.resolve("model.safetensors") : dir;
    if (!Files.isRegularFile(file)) {
      if (!f.has("init")) {
        System.out.println("no " + file + " to start from; training from random weights");
        return null;
      }
      throw new UsageException("--init: no weights at " + file);
    }
    return file;
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
