package dev.tessera.decoding;

import ai.djl.ndarray.NDManager;
import dev.tessera.model.Gpt;
import dev.tessera.model.Rope2d;
import dev.tessera.model.SequenceLayout;
import dev.tessera.sampling.TokenSampler;
import java.util.List;

/**
 * PAR region-parallel decoding (algorithms.md §3.7) on a model trained in PAR order with n tokens per
 * parallel step: the first n tokens (one per region) sequentially, then one forward feeding
 * [last initial token, n−1 transition tokens], then n tokens a step, each group seeing the whole
 * previous group (group-bidirectional mask). n + N/n − 1 steps per image; tokens are un-permuted to
 * raster order before decoding. Sequences in different phases share a step, shorter feeds padded.
 */
public final class ParDecoder extends PooledDecoder {

  private final int n;
  private final SequenceLayout layout;

  public ParDecoder(Gpt gpt, NDManager parent, int maxImages) {
    super(gpt, parent, maxImages, gpt.config().parallelTokens());
    this.n = config.parallelTokens();
    if (n < 2) {
      throw new IllegalArgumentException("par decoding needs a model trained in PAR order");
    }
    this.layout = new SequenceLayout(config);
  }

  @Override
  public List<DecodeOutput> step() {
    if (active.isEmpty()) {
      return List.of();
    }
    int width = 1;
    for (Sequence s : active) {
      width = Math.max(width, s.count < n ? 1 : n);
    }
    BatchStep batch = new BatchStep(steppingRows(), width, Gpt.classId(config, config.nullClass()));
    for (Sequence s : active) {
      Feed f = feedFor(s);
      for (int st = 0; st < s.lease.streams(); st++) {
        long[] ids = f.ids.clone();
        if (s.count == 0) {
          ids[0] = Gpt.classId(config, s.label(st, config.nullClass()));
        }
        batch.feed(s.lease.row(st), s.lease.length(), ids, f.rope, f.limits);
      }
    }
    BatchStep.Result out = batch.run(gpt, pool, manager, false);
    for (Sequence s : active) {
      int produce = s.count < n ? 1 : n;
      int fed = s.count == 0 ? 1 : (s.count < n ? 1 : n);
      for (int i = 0; i < produce; i++) {
        int query = produce == 1 ? 0 : i; // in a parallel step, query i predicts region i
        float[] cond = out.logits(s.lease.row(0), query);
        float[] uncond = s.lease.streams() > 1 ? out.logits(s.lease.row(1), query) : null;
        s.tokens[s.count + i] = TokenSampler.next(cond, uncond, s.job.sampling(), s.random);
      }
      s.count += produce;
      s.lease.advance(fed);
      s.steps++;
      s.targetForwards++;
    }
    return collectFinished();
  }

  private record Feed(long[] ids, long[] rope, int[] limits) {}

  /** What a sequence feeds next, by phase. */
  private Feed feedFor(Sequence s) {
    int pos = s.lease.length();
    if (s.count == 0) { // class token
      return new Feed(new long[] {0}, new long[] {Rope2d.ZERO_ROW}, new int[] {0});
    }
    if (s.count < n) { // sequential stage: the previous initial token
      int q = s.count - 1;
      return new Feed(new long[] {s.tokens[q]}, new long[] {Rope2d.gridRow(layout.rasterIndex(q))},
          new int[] {pos});
    }
    long[] ids = new long[n];
    long[] rope = new long[n];
    int[] limits = new int[n];
    if (s.count == n) { // first parallel step: last initial token, then the transition tokens
      ids[0] = s.tokens[n - 1];
      rope[0] = Rope2d.gridRow(layout.rasterIndex(n - 1));
      for (int m = 0; m < n - 1; m++) {
        ids[1 + m] = Gpt.transitionId(config, m);
        rope[1 + m] = Rope2d.ZERO_ROW;
      }
    } else { // the previous group
      for (int i = 0; i < n; i++) {
        int q = s.count - n + i;
        ids[i] = s.tokens[q];
        rope[i] = Rope2d.gridRow(layout.rasterIndex(q));
      }
    }
    java.util.Arrays.fill(limits, pos + n - 1); // group-bidirectional
    return new Feed(ids, rope, limits);
  }

  @Override
  int[] toRaster(int[] sequenceTokens) {
    return layout.toRasterOrder(sequenceTokens);
  }
}
