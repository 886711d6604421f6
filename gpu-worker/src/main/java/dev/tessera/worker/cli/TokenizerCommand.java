package dev.tessera.worker.cli;

import dev.tessera.data.FashionMnist;
import dev.tessera.data.LabelledImages;
import dev.tessera.data.Split;
import dev.tessera.tokenizer.Psnr;
import dev.tessera.tokenizer.VqConfig;
import dev.tessera.tokenizer.VqTokenizer;
import dev.tessera.train.TokenDataset;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code ./tessera tokenizer fit|psnr|export}: fits the VQ codebook on Fashion-MNIST, measures its
 * reconstruction PSNR on the test split, and writes the tokenised splits the transformer trainer reads.
 */
public final class TokenizerCommand implements Command {

  static final Path DEFAULT_MODEL = Path.of("models", "fm-vq");

  private static final String USAGE = """
      usage: ./tessera tokenizer fit    [--size 512] [--seed 1] [--samples 1000000] [--iterations 50] [--out models/fm-vq] [--data DIR]
             ./tessera tokenizer psnr   [--sizes 256,512,1024] [--seed 1] [--samples 1000000] [--iterations 50] [--data DIR]
             ./tessera tokenizer psnr   --model models/fm-vq [--data DIR]
             ./tessera tokenizer export [--model models/fm-vq] [--out .tessera/data] [--data DIR]""";

  @Override
  public String name() {
    return "tokenizer";
  }

  @Override
  public String summary() {
    return "fit the VQ codebook (fit), report PSNR per codebook size (psnr), tokenise the dataset (export)";
  }

  @Override
  public int run(String[] args) throws Exception {
    try {
      if (args.length == 0 || args[0].startsWith("--")) {
        throw new UsageException("missing subcommand (fit, psnr or export)");
      }
      CommandFlags f = CommandFlags.parse(java.util.Arrays.copyOfRange(args, 1, args.length),
          Set.of("size", "sizes", "seed", "samples", "iterations", "out", "data", "model"), Set.of());
      if (!f.positional().isEmpty()) {
        throw new UsageException("unexpected argument '" + f.positional().get(0) + "'");
      }
      Path data = f.path("data", FashionMnist.DEFAULT_DIR);
      return switch (args[0]) {
        case "fit" -> fit(f, data);
        case "psnr" -> psnr(f, data);
        case "export" -> export(f, data);
        default -> throw new UsageException("unknown subcommand '" + args[0] + "' (fit, psnr or export)");
      };
    } catch (UsageException e) {
      System.err.println("tokenizer: " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    } catch (FileNotFoundException e) {
      System.err.println("tokenizer: " + e.getMessage());
      return 1;
    }
  }

  private static VqConfig config(CommandFlags f, int size) {
    try {
      return new VqConfig(size, f.longValue("seed", 1), f.integer("samples", VqConfig.DEFAULT_SAMPLE_PATCHES, 1,
          50_000_000), f.integer("iterations", VqConfig.DEFAULT_MAX_ITERATIONS, 1, 10_000));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static int fit(CommandFlags f, Path data) throws Exception {
    VqConfig config = config(f, f.integer("size", 512, 2, 32_768));
    Path out = f.path("out", DEFAULT_MODEL);
    LabelledImages train = FashionMnist.load(data, Split.TRAIN);
    LabelledImages test = FashionMnist.load(data, Split.TEST);
    long t0 = System.nanoTime();
    VqTokenizer tok = VqTokenizer.fit(train.images(), config, System.out::println);
    double fitS = (System.nanoTime() - t0) / 1e9;
    tok.save(out);
    System.out.printf("fitted %d codes in %.1f s; test PSNR %.2f dB; saved to %s%n",
        tok.vocabSize(), fitS, Psnr.roundTrip(tok, test.images()), out);
    return 0;
  }

  private static int psnr(CommandFlags f, Path data) throws Exception {
    LabelledImages test = FashionMnist.load(data, Split.TEST);
    if (f.has("model")) {
      VqTokenizer tok = VqTokenizer.load(f.path("model", DEFAULT_MODEL));
      System.out.printf("%s (%d codes): test PSNR %.2f dB over %d images%n",
          f.string("model", ""), tok.vocabSize(), Psnr.roundTrip(tok, test.images()), test.size());
      return 0;
    }
    int[] sizes = f.integers("sizes", new int[] {256, 512, 1024});
    LabelledImages train = FashionMnist.load(data, Split.TRAIN);
    StringBuilder table = new StringBuilder("| codebook size | test PSNR (dB) | train-sample PSNR (dB) | fit time (s) |\n"
        + "|---|---|---|---|\n");
    for (int size : sizes) {
      VqConfig config = config(f, size);
      long t0 = System.nanoTime();
      VqTokenizer tok = VqTokenizer.fit(train.images(), config, line -> { });
      double fitS = (System.nanoTime() - t0) / 1e9;
      double testPsnr = Psnr.roundTrip(tok, test.images());
      double trainPsnr = Psnr.roundTrip(tok, train.head(10_000).images());
      System.out.printf("size %d: test PSNR %.2f dB, train[0:10000] PSNR %.2f dB, fit %.1f s%n",
          size, testPsnr, trainPsnr, fitS);
      table.append(String.format("| %d | %.2f | %.2f | %.1f |%n", size, testPsnr, trainPsnr, fitS));
    }
    System.out.println();
    System.out.print(table);
    return 0;
  }

  private static int export(CommandFlags f, Path data) throws Exception {
    VqTokenizer tok = VqTokenizer.load(f.path("model", DEFAULT_MODEL));
    Path out = f.path("out", TokenDataset.DEFAULT_DIR);
    for (Split split : Split.values()) {
      TokenDataset.encode(FashionMnist.load(data, split), tok)
          .save(out.resolve("fm-tokens-" + split.name().toLowerCase(java.util.Locale.ROOT) + ".safetensors"));
      System.out.println("wrote " + out.resolve("fm-tokens-" + split.name().toLowerCase(java.util.Locale.ROOT)
          + ".safetensors"));
    }
    return 0;
  }
}
