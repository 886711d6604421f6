package dev.tessera.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Differential test: decoding with the KV pool one token at a time gives the logits of one full
 * forward over the whole sequence. Tolerance: 1e-4 absolute on logits of magnitude ~1-10 (fp32,
 * different reduction orders).
 */
class IncrementalDecodingMatchesFullForwardTest {

  private static final float TOLERANCE = 1e-4f;

  @Test
  void singleSequenceLogitsMatchFullForward() {
    GptConfig c = TinyModels.config();
    try (NDManager m = NDManager.newBaseManager()) {
      Gpt gpt = TinyModels.gpt(m, c, 7);
      long[] ids = sequence(c, 1, 11);
      float[][] full = fullForward(m, gpt, ids);
      try (KvCachePool pool = new KvCachePool(m, c, 1, c.sequenceLength())) {
        pool.lease(1);
        for (int p = 0; p < ids.length; p++) {
          float[] step = stepForward(m, gpt, pool, new long[] {ids[p]}, new int[] {p})[0];
          assertClose(step, full[p], "position " + p);
        }
      }
    }
  }

  @Test
  void batchedSequencesAtDifferentLengthsMatchTheirFullForwards() {
    GptConfig c = TinyModels.config();
    try (NDManager m = NDManager.newBaseManager()) {
      Gpt gpt = TinyModels.gpt(m, c, 8);
      long[][] seqs = {sequence(c, 0, 1), sequence(c, 2, 2), sequence(c, 3, 3)}; // class 3 = null
      float[][][] full = new float[3][][];
      for (int i = 0; i < 3; i++) {
        full[i] = fullForward(m, gpt, seqs[i]);
      }
      int[] offset = {0, 5, 9}; // sequence i joins at step offset[i]: rows are at different positions
      try (KvCachePool pool = new KvCachePool(m, c, 3, c.sequenceLength())) {
        for (int i = 0; i < 3; i++) {
          pool.lease(1);
        }
        int len = c.sequenceLength();
        for (int step = 0; step < len + 9; step++) {
          // every row steps each iteration; rows that have not joined or are done feed a pad at 0
          long[] ids = new long[3];
          int[] pos = new int[3];
          boolean[] real = new boolean[3];
          for (int i = 0; i < 3; i++) {
            int p = step - offset[i];
            real[i] = p >= 0 && p < len;
            pos[i] = real[i] ? p : 0;
            ids[i] = real[i] ? seqs[i][p] : seqs[i][0];
          }
          float[][] logits = stepForward(m, gpt, pool, ids, pos);
          for (int i = 0; i < 3; i++) {
            if (real[i]) {
              assertClose(logits[i], full[i][pos[i]], "sequence " + i + " position " + pos[i]);
            }
          }
        }
      }
    }
  }

  /** Class token then random image tokens: embed ids for one full sequence. */
  static long[] sequence(GptConfig c, int label, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] ids = new long[c.sequenceLength()];
    ids[0] = Gpt.classId(c, label);
    for (int i = 1; i < ids.length; i++) {
      ids[i] = r.nextInt(c.vocabSize());
    }
    return ids;
  }

  static float[][] fullForward(NDManager m, Gpt gpt, long[] ids) {
    int t = ids.length;
    int v = gpt.config().vocabSize();
    try (NDManager scope = m.newSubManager()) {
      long[] rope = new long[t];
      for (int p = 0; p < t; p++) {
        rope[p] = p;
      }
      NDArray logits = gpt.forward(scope, scope.create(ids, new Shape(1, t)),
          scope.create(rope, new Shape(1, t)),
          AttentionMasks.forSequence(scope, AttentionMasks.causal(t)), KvAccess.NONE).logits();
      float[] flat = logits.toFloatArray();
      float[][] out = new float[t][v];
      for (int p = 0; p < t; p++) {
        System.arraycopy(flat, p * v, out[p], 0, v);
      }
      return out;
    }
  }

  static float[][] stepForward(NDManager m, Gpt gpt, KvCachePool pool, long[] ids, int[] pos) {
    int b = ids.length;
    int v = gpt.config().vocabSize();
    try (NDManager scope = m.newSubManager()) {
      long[] rope = new long[b];
      int[][] limit = new int[b][1];
      for (int i = 0; i < b; i++) {
        rope[i] = pos[i];
        limit[i][0] = pos[i];
      }
      PoolKv kv = new PoolKv(scope, pool, pos, 1);
      float[] flat = gpt.forward(scope, scope.create(ids, new Shape(b, 1)),
          scope.create(rope, new Shape(b, 1)),
          AttentionMasks.fromLimits(scope, limit, kv.attendLength()), kv).logits().toFloatArray();
      float[][] out = new float[b][v];
      for (int i = 0; i < b; i++) {
        System.arraycopy(flat, i * v, out[i], 0, v);
      }
      return out;
    }
  }

  static void assertClose(float[] actual, float[] expected, String where) {
    float worst = 0;
    for (int i = 0; i < actual.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    assertThat(worst).as("max |Δlogit| at " + where).isLessThan(TOLERANCE);
  }
}
