package dev.tessera.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tessera.contract.SamplingParams;
import dev.tessera.model.AttentionMasks;
import dev.tessera.model.Drafter;
import dev.tessera.model.Gpt;
import dev.tessera.model.GptConfig;
import dev.tessera.model.GptWeights;
import dev.tessera.model.KvAccess;
import dev.tessera.model.RandomWeights;
import dev.tessera.sampling.LogitProcessor;
import java.util.Map;

/**
 * A tiny target (8 codes, a 2×2 grid: 4 tokens) and drafter with planted weights: the output head and
 * the class embedding scaled up so that the target's distributions are peaked and class-dependent (CFG
 * matters), the drafter's fc scaled so that it is peaked too but disagrees with the target. Computes
 * the target's exact per-position marginals by enumerating every prefix.
 */
final class PlantedModel implements AutoCloseable {

  static final GptConfig CONFIG = GptConfig.of(16, 1, 2, 8, 2, 2);

  final NDManager manager = NDManager.newBaseManager();
  final Gpt gpt;
  final Drafter drafter;

  PlantedModel(long seed) {
    this(seed, CONFIG);
  }

  /** The planting: head ×20, class embedding ×60, drafter fc ×5 (acceptance about 0.24 at γ = 2). */
  PlantedModel(long seed, GptConfig config) {
    this(seed, config, 20, 60, 5);
  }

  /** The same planting on other sizes (marginals need {@link #CONFIG}). */
  PlantedModel(long seed, GptConfig config, float head, float cls, float fc) {
    Map<String, NDArray> w = RandomWeights.create(manager, config, seed);
    scale(w, "output.weight", head);
    scale(w, "cls_embedding.embedding_table.weight", cls);
    gpt = new Gpt(GptWeights.of(config, w::get), manager, true);
    Map<String, NDArray> dw = RandomWeights.create(manager, Drafter.expectedShapes(config), seed + 1);
    scale(dw, "fc.weight", fc);
    drafter = Drafter.of(gpt, dw::get);
  }

  private void scale(Map<String, NDArray> w, String name, float factor) {
    NDArray scaled = w.get(name).mul(factor);
    scaled.setName(name);
    w.put(name, scaled);
  }

  /**
   * marginal[i][v]: probability that image token i is v under the target's processed distribution
   * (CFG, then the sampling params), i = 0..3.
   */
  double[][] marginals(int classLabel, SamplingParams sp) {
    int v = CONFIG.vocabSize();
    int n = CONFIG.imageTokens();
    int prefixes = (int) Math.pow(v, n - 1);
    float[][] cond = logits(classLabel, prefixes);
    float[][] uncond = logits(CONFIG.nullClass(), prefixes);
    double[][] marginal = new double[n][v];
    // the joint of (t0, t1, t2) by the chain rule (prefix index t0·v² + t1·v + t2), then t3
    for (int pre = 0; pre < prefixes; pre++) {
      int[] t = {pre / (v * v), (pre / v) % v, pre % v};
      double joint = 1;
      for (int i = 0; i < n; i++) {
        double[] p = LogitProcessor.probabilities(LogitProcessor.cfg(cond[pre * n + i],
            sp.usesCfg() ? uncond[pre * n + i] : null, sp.cfgScale()), sp);
        if (i < n - 1) {
          joint *= p[t[i]];
        } else {
          for (int x = 0; x < v; x++) {
            marginal[i][x] += joint * p[x];
          }
        }
      }
      for (int i = 0; i < n - 1; i++) {
        marginal[i][t[i]] += joint;
      }
    }
    return marginal;
  }

  /** Logits [prefix * 4 + i] of the full forward over [class, t0, t1, t2] for every prefix. */
  private float[][] logits(int label, int prefixes) {
    int n = CONFIG.imageTokens();
    int v = CONFIG.vocabSize();
    long[] ids = new long[prefixes * n];
    long[] rope = new long[prefixes * n];
    for (int pre = 0; pre < prefixes; pre++) {
      int[] t = {pre / (v * v), (pre / v) % v, pre % v};
      ids[pre * n] = Gpt.classId(CONFIG, label);
      for (int i = 1; i < n; i++) {
        ids[pre * n + i] = t[i - 1];
      }
      for (int i = 0; i < n; i++) {
        rope[pre * n + i] = i;
      }
    }
    try (NDManager scope = manager.newSubManager()) {
      float[] flat = gpt.forward(scope, scope.create(ids, new Shape(prefixes, n)),
          scope.create(rope, new Shape(prefixes, n)),
          AttentionMasks.forSequence(scope, AttentionMasks.causal(n)), KvAccess.NONE)
          .logits().toFloatArray();
      float[][] out = new float[prefixes * n][v];
      for (int r = 0; r < prefixes * n; r++) {
        System.arraycopy(flat, r * v, out[r], 0, v);
      }
      return out;
    }
  }

  @Override
  public void close() {
    gpt.close();
    manager.close();
  }
}
