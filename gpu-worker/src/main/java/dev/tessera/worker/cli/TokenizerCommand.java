package dev.tessera.worker.cli;

import dev.tessera.data.FashionMnist;
import dev.tessera.data.LabelledImages;
import dev.tessera.data.Split;
import dev.tessera.train.TokenDataset;
import dev.tessera.tokenizer.Psnr;
import dev.tessera.tokenizer.VqConfig;
import dev.tessera.tokenizer.VqTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./tessera tokenizer fit|psnr|export}: fits the VQ codebook on Fashion-MNIST, measures its
 * reconstruction PSNR on the test split, and writes the tokenised splits the transformer trainer reads.
 */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
    description = {"The VQ tokenizer: fit, psnr, export.",
        "The VQ tokenizer: fit the codebook (fit), PSNR per codebook size (psnr),"
        + " tokenise the dataset (export)."})
public final class TokenizerCommand extends CommandGroup {

  static final Path DEFAULT_MODEL = Path.of("models", "fm-vq");

  /** The group with its three subcommands. */
  static CommandLine commandLine() {
    return new CommandLine(new TokenizerCommand()).addSubcommand(new Fit())
        .addSubcommand(new PsnrCommand()).addSubcommand(new Export());
  }

  /** Where the Fashion-MNIST files are. */
  static final class Data {
    @Option(names = "--data", paramLabel = "DIR", description = "the Fashion-MNIST files")
    Path dir = FashionMnist.DEFAULT_DIR;
  }

  /** The k-means settings. */
  static final class Fitting {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--seed", description = "k-means seed")
    long seed = 1;

    @Option(names = "--samples", description = "patches sampled for k-means")
    int samples = VqConfig.DEFAULT_SAMPLE_PATCHES;

    @Option(names = "--iterations", description = "k-means iterations at most")
    int iterations = VqConfig.DEFAULT_MAX_ITERATIONS;

    VqConfig config(int size) {
      try {
        return new VqConfig(size, seed, Ranges.check(spec, "--samples", samples, 1, 50_000_000),
            Ranges.check(spec, "--iterations", iterations, 1, 10_000));
      } catch (IllegalArgumentException e) {
        throw Ranges.usage(spec, e.getMessage());
      }
    }
  }

  @Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Fits the VQ codebook on the training split and reports its test PSNR.")
  static final class Fit implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--size", description = "codebook size (2..32768)")
    int size = 512;

    @Mixin
    Fitting fitting;

    @Option(names = "--out", paramLabel = "DIR", description = "where the codebook goes")
    Path out = DEFAULT_MODEL;

    @Mixin
    Data data;

    @Override
    public Integer call() throws Exception {
      VqConfig config = fitting.config(Ranges.check(spec, "--size", size, 2, 32_768));
      Prerequisites.dataset(data.dir, Split.TRAIN, Split.TEST);
      LabelledImages train = FashionMnist.load(data.dir, Split.TRAIN);
      LabelledImages test = FashionMnist.load(data.dir, Split.TEST);
      long t0 = System.nanoTime();
      VqTokenizer tok = VqTokenizer.fit(train.images(), config, System.out::println);
      double fitS = (System.nanoTime() - t0) / 1e9;
      tok.save(out);
      System.out.printf("fitted %d codes in %.1f s; test PSNR %.2f dB; saved to %s%n",
          tok.vocabSize(), fitS, Psnr.roundTrip(tok, test.images()), out);
      return 0;
    }
  }

  @Command(name = "psnr", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Fits a codebook of each size and prints its reconstruction PSNR (a table);",
          "with --model, the PSNR of that codebook."})
  static final class PsnrCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", description = "codebook sizes")
    List<Integer> sizes = new ArrayList<>(List.of(256, 512, 1024));

    @Mixin
    Fitting fitting;

    @Option(names = "--model", paramLabel = "DIR", description = "measure this codebook instead")
    Path model;

    @Mixin
    Data data;

    @Override
    public Integer call() throws Exception {
      Prerequisites.dataset(data.dir, Split.TEST);
      if (model != null) {
        VqTokenizer tok = VqTokenizer.load(model);
        LabelledImages test = FashionMnist.load(data.dir, Split.TEST);
        System.out.printf("%s (%d codes): test PSNR %.2f dB over %d images%n", model,
            tok.vocabSize(), Psnr.roundTrip(tok, test.images()), test.size());
        return 0;
      }
      List<VqConfig> configs = sizes.stream().map(fitting::config).toList();
      Prerequisites.dataset(data.dir, Split.TRAIN);
      LabelledImages test = FashionMnist.load(data.dir, Split.TEST);
      LabelledImages train = FashionMnist.load(data.dir, Split.TRAIN);
      StringBuilder table = new StringBuilder("| codebook size | test PSNR (dB) |"
          + " train-sample PSNR (dB) | fit time (s) |\n|---|---|---|---|\n");
      for (VqConfig config : configs) {
        long t0 = System.nanoTime();
        VqTokenizer tok = VqTokenizer.fit(train.images(), config, line -> { });
        double fitS = (System.nanoTime() - t0) / 1e9;
        double testPsnr = Psnr.roundTrip(tok, test.images());
        double trainPsnr = Psnr.roundTrip(tok, train.head(10_000).images());
        System.out.printf("size %d: test PSNR %.2f dB, train[0:10000] PSNR %.2f dB, fit %.1f s%n",
            config.codebookSize(), testPsnr, trainPsnr, fitS);
        table.append(String.format("| %d | %.2f | %.2f | %.1f |%n", config.codebookSize(), testPsnr,
            trainPsnr, fitS));
      }
      System.out.println();
      System.out.print(table);
      return 0;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Tokenises both splits with the codebook, for the transformer trainer.")
  static final class Export implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "the codebook")
    Path model = DEFAULT_MODEL;

    @Option(names = "--out", paramLabel = "DIR", description = "where the tokenised splits go")
    Path out = TokenDataset.DEFAULT_DIR;

    @Mixin
    Data data;

    @Override
    public Integer call() throws Exception {
      Prerequisites.dataset(data.dir, Split.values());
      VqTokenizer tok = VqTokenizer.load(model);
      for (Split split : Split.values()) {
        Path file = out.resolve("fm-tokens-" + split.name().toLowerCase(Locale.ROOT)
            + ".safetensors");
        TokenDataset.encode(FashionMnist.load(data.dir, split), tok).save(file);
        System.out.println("wrote " + file);
      }
      return 0;
    }
  }
}
