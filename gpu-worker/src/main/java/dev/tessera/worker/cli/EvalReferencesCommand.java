package dev.tessera.worker.cli;

import dev.tessera.data.FashionMnist;
import dev.tessera.data.LabelledImages;
import dev.tessera.data.Split;
import dev.tessera.eval.Classifier;
import dev.tessera.eval.Evaluator;
import dev.tessera.eval.FeatureStats;
import dev.tessera.eval.FrechetDistance;
import dev.tessera.tokenizer.Psnr;
import dev.tessera.tokenizer.VqTokenizer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./tessera eval-references}: the two reference Fréchet distances generated images are judged
 * against (VQ reconstructions of the test split vs the test split; the training split vs the test
 * split), on the full splits; and, for comparison with {@code --n} generated images, {@code --n}
 * class-balanced training images and their VQ reconstructions against the full test split.
 */
@Command(name = "eval-references", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Reference Fréchet distances of real and VQ-reconstructed images.",
        "The reference Fréchet distances generated images are judged against: VQ"
        + " reconstructions vs the test split, the training split vs the test split, and N"
        + " class-balanced training images (and their reconstructions) vs the test split."})
public final class EvalReferencesCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--n", description = "images of the N-image references (10..10000)")
  int n = 500;

  @Option(names = "--seed", description = "seed of the balanced subset")
  long seed = 1;

  @Option(names = "--threads", paramLabel = "N",
      description = "PyTorch intra-op threads (default: the cores)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--classifier", paramLabel = "DIR", description = "the fm-classifier model")
  Path classifier = Classifier.DEFAULT_DIR;

  @Option(names = "--tokenizer", paramLabel = "DIR", description = "the VQ codebook")
  Path tokenizer = Path.of("models", "fm-vq");

  @Option(names = "--data", paramLabel = "DIR", description = "the Fashion-MNIST files")
  Path data = FashionMnist.DEFAULT_DIR;

  @Option(names = "--grid", paramLabel = "FILE.png",
      description = "write the N reconstructions as a grid")
  Path grid;

  @Override
  public Integer call() throws Exception {
    Ranges.check(spec, "--n", n, 10, 10_000);
    Threads.set(Ranges.check(spec, "--threads", threads, 1, 256));
    Prerequisites.dataset(data, Split.TRAIN, Split.TEST);
    Prerequisites.classifier(classifier);
    VqTokenizer tok = VqTokenizer.load(tokenizer);
    LabelledImages test = FashionMnist.load(data, Split.TEST);
    LabelledImages train = FashionMnist.load(data, Split.TRAIN);
    LabelledImages recon = new LabelledImages(Psnr.reconstruct(tok, test.images()), test.labels());
    try (Evaluator ev = Evaluator.load(classifier, test)) {
      FeatureStats ref = ev.referenceStats();
      Classifier c = ev.classifier();
      double fdRecon = FrechetDistance.between(FeatureStats.of(c.features(recon.images())), ref);
      double fdTrain = FrechetDistance.between(FeatureStats.of(c.features(train.images())), ref);
      // n-image references: real training images (disjoint from the reference split) and their VQ
      // reconstructions, scored like n generated images would be.
      LabelledImages trainN = Subsets.balanced(train, n, seed);
      LabelledImages reconN = new LabelledImages(Psnr.reconstruct(tok, trainN.images()), trainN.labels());
      Evaluator.Score sTrain = ev.score(trainN.images(), trainN.labels());
      Evaluator.Score sRecon = ev.score(reconN.images(), reconN.labels());
      System.out.printf("classifier accuracy: test %.4f, VQ reconstructions of test %.4f%n",
          c.accuracy(test.images(), test.labels()), c.accuracy(recon.images(), recon.labels()));
      System.out.printf("FD full: VQ recon(test, 10000) vs test %.3f; train (60000) vs test %.3f%n", fdRecon, fdTrain);
      System.out.printf("FD n=%d train images (class-balanced, seed %d) vs full test: real %.3f (accuracy %.4f);"
          + " their VQ reconstructions %.3f (accuracy %.4f)%n", n, seed, sTrain.frechetDistance(),
          sTrain.classAccuracy(), sRecon.frechetDistance(), sRecon.classAccuracy());
      System.out.printf("{\"fd_vq_recon_test_full\":%.4f,\"fd_train_test_full\":%.4f,\"n\":%d,"
          + "\"fd_train_n\":%.4f,\"fd_vq_recon_train_n\":%.4f,\"accuracy_train_n\":%.4f,\"accuracy_vq_recon_train_n\":%.4f}%n",
          fdRecon, fdTrain, n, sTrain.frechetDistance(), sRecon.frechetDistance(), sTrain.classAccuracy(),
          sRecon.classAccuracy());
      if (grid != null) {
        Evaluator.writeGrid(grid, reconN.images(), reconN.labels(), 10);
        System.out.println("wrote " + grid);
      }
    }
    return 0;
  }
}
