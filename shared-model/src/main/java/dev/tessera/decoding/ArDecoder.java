package dev.tessera.decoding;

import ai.djl.ndarray.NDManager;
import dev.tessera.model.AttentionMasks;
import dev.tessera.model.Gpt;
import dev.tessera.model.GptConfig;
import dev.tessera.model.KvCachePool;
import dev.tessera.model.KvLease;
import dev.tessera.model.PoolKv;
import dev.tessera.sampling.RequestRandom;
import dev.tessera.sampling.TokenSampler;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Plain autoregressive decoding of a raster-order model with continuous batching: every step feeds
 * one token per stream (the class token for a sequence that just joined), in one batched forward over
 * all leased pool rows, and samples one token per sequence.
 */
public final class ArDecoder implements StepDecoder {

  private final Gpt gpt;
  private final GptConfig config;
  private final NDManager manager;
  private final KvCachePool pool;
  private final List<Sequence> active = new ArrayList<>();

  public ArDecoder(Gpt gpt, NDManager parent, int maxImages) {
    if (gpt.config().parallelTokens() != 1) {
      throw new IllegalArgumentException("ar decoding needs a raster-order model");
    }
    this.gpt = gpt;
    this.config = gpt.config();
    this.manager = parent.newSubManager();
    this.pool = new KvCachePool(manager, config, 2 * maxImages, config.sequenceLength());
  }

  @Override
  public boolean canAdmit(DecodeJob job) {
    return pool.free() >= streams(job);
  }

  @Override
  public void admit(DecodeJob job) {
    if (job.classLabel() >= config.numClasses()) {
      throw new IllegalArgumentException("class_label " + job.classLabel() + " out of range [0, "
          + config.numClasses() + ")");
    }
    active.add(new Sequence(job, pool.lease(streams(job)), config.imageTokens()));
  }

  private static int streams(DecodeJob job) {
    return job.sampling().usesCfg() ? 2 : 1;
  }

  @Override
  public List<DecodeOutput> step() {
    if (active.isEmpty()) {
      return List.of();
    }
    int rows = pool.used();
    long[] ids = new long[rows];
    long[] rope = new long[rows];
    int[] start = new int[rows];
    int[][] limit = new int[rows][1];
    for (Sequence s : active) {
      int pos = s.lease.length();
      for (int st = 0; st < s.lease.streams(); st++) {
        int row = s.lease.row(st);
        int label = st == 0 ? s.job.classLabel() : config.nullClass();
        ids[row] = pos == 0 ? Gpt.classId(config, label) : s.tokens[s.count - 1];
        rope[row] = pos; // raster: token i is fed at position i+1 = its own grid row in the table
        start[row] = pos;
        limit[row][0] = pos;
      }
    }
    float[] logits;
    try (NDManager scope = manager.newSubManager()) {
      PoolKv kv = new PoolKv(scope, pool, start, 1);
      Gpt.Output out = gpt.forward(scope,
          scope.create(ids, new ai.djl.ndarray.types.Shape(rows, 1)),
          scope.create(rope, new ai.djl.ndarray.types.Shape(rows, 1)),
          AttentionMasks.fromLimits(scope, limit, kv.attendLength()), kv);
      logits = out.logits().toFloatArray(); // [rows, 1, V]
    }
    int v = config.vocabSize();
    List<DecodeOutput> finished = new ArrayList<>();
    for (Iterator<Sequence> it = active.iterator(); it.hasNext(); ) {
      Sequence s = it.next();
      float[] cond = row(logits, s.lease.row(0), v);
      float[] uncond = s.lease.streams() > 1 ? row(logits, s.lease.row(1), v) : null;
      s.tokens[s.count++] = TokenSampler.next(cond, uncond, s.job.sampling(), s.random);
      s.lease.advance(1);
      s.steps++;
      if (s.count == s.tokens.length) {
        it.remove();
        pool.release(s.lease);
        finished.add(s.output());
      }
    }
    return finished;
  }

  static float[] row(float[] flat, int row, int v) {
    float[] r = new float[v];
    System.arraycopy(flat, row * v, r, 0, v);
    return r;
  }

  @Override
  public boolean cancel(String requestId) {
    for (Iterator<Sequence> it = active.iterator(); it.hasNext(); ) {
      Sequence s = it.next();
      if (s.job.requestId().equals(requestId)) {
        it.remove();
        pool.release(s.lease);
        return true;
      }
    }
    return false;
  }

  @Override
  public int activeJobs() {
    return active.size();
  }

  @Override
  public int freeSlots() {
    return pool.free();
  }

  @Override
  public void close() {
    manager.close();
  }

  private static final class Sequence {
    final DecodeJob job;
    final KvLease lease;
    final RequestRandom random;
    final int[] tokens;
    final long admittedNanos = System.nanoTime();
    int count;
    int steps;

    Sequence(DecodeJob job, KvLease lease, int n) {
      this.job = job;
      this.lease = lease;
      this.random = new RequestRandom(job.seed());
      this.tokens = new int[n];
    }

    DecodeOutput output() {
      long ms = (System.nanoTime() - admittedNanos) / 1_000_000;
      return new DecodeOutput(job.requestId(), tokens,
          new DecodeMetrics(steps, steps, 0, 0, 0, 1.0, new int[0], ms));
    }
  }
}
