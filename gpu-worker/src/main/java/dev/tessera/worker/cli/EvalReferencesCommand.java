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
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code ./tessera eval-references}: the two reference Fréchet distances generated images are judged
 * against (VQ reconstructions of the test split vs the test split; the training split vs the test
 * split), on the full splits; and, for comparison with {@code --n} generated images, {@code --n}
 * class-balanced training images and their VQ reconstructions against the full test split.
 */
public final class EvalReferencesCommand implements Command {

  private static final String USAGE = "usage: ./tessera eval-references [--n 500] [--seed 1] [--threads N]"
      + " [--classifier models/fm-classifier] [--tokenizer models/fm-vq] [--data DIR] [--grid FILE.png]";

  @Override
  public String name() {
    return "eval-references";
  }

  @Override
  public String summary() {
    return "reference Frechet distances: VQ reconstructions vs test, train vs test";
  }

  @Override
  public int run(String[] args) throws Exception {
    CommandFlags f;
    try {
      f = CommandFlags.parse(args, Set.of("n", "seed", "threads", "classifier", "tokenizer", "data", "grid"), Set.of());
      if (!f.positional().isEmpty()) {
        throw new UsageException("unexpected argument '" + f.positional().get(0) + "'");
      }
      f.integer("n", 500, 10, 10_000);
      Threads.set(f.integer("threads", Runtime.getRuntime().availableProcessors(), 1, 256));
    } catch (UsageException e) {
      System.err.println("eval-references: " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    int n = f.integer("n", 500, 10, 10_000);
    long seed = f.longValue("seed", 1);
    Path data = f.path("data", FashionMnist.DEFAULT_DIR);
    try {
      VqTokenizer tok = VqTokenizer.load(f.path("tokenizer", Path.of("models", "fm-vq")));
      LabelledImages test = FashionMnist.load(data, Split.TEST);
      LabelledImages train = FashionMnist.load(data, Split.TRAIN);
      LabelledImages recon = new LabelledImages(Psnr.reconstruct(tok, test.images()), test.labels());
      try (Evaluator ev = Evaluator.load(f.path("classifier", Classifier.DEFAULT_DIR), test)) {
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
        if (f.has("grid")) {
          Evaluator.writeGrid(f.path("grid", null), reconN.images(), reconN.labels(), 10);
          System.out.println("wrote " + f.string("grid", ""));
        }
      }
    } catch (FileNotFoundException e) {
      System.err.println("eval-references: " + e.getMessage());
      return 1;
    }
    return 0;
  }
}
