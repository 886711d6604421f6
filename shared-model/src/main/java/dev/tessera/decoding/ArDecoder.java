package dev.tessera.decoding;

import ai.djl.ndarray.NDManager;
import dev.tessera.model.Gpt;
import dev.tessera.sampling.TokenSampler;
import java.util.List;

/**
 * Plain autoregressive decoding of a raster-order model with continuous batching: every step feeds
 * one token per stream (the class token for a sequence that just joined), in one batched forward over
 * all leased pool rows, and samples one token per sequence.
 */
public final class ArDecoder extends PooledDecoder {

  public ArDecoder(Gpt gpt, NDManager parent, int maxImages) {
    super(gpt, parent, maxImages, 0);
    if (config.parallelTokens() != 1) {
      throw new IllegalArgumentException("ar decoding needs a raster-order model");
    }
  }

  @Override
  public List<DecodeOutput> step() {
    if (active.isEmpty()) {
      return List.of();
    }
    BatchStep batch = new BatchStep(steppingRows(), 1, 0);
    for (Sequence s : active) {
      int pos = s.lease.length();
      for (int st = 0; st < s.lease.streams(); st++) {
        long id = pos == 0 ? Gpt.classId(config, s.label(st, config.nullClass()))
            : s.tokens[s.count - 1];
        // raster: token i is fed at position i+1, which is its own grid row of the RoPE table
        batch.feedOne(s.lease.row(st), pos, id, pos);
      }
    }
    BatchStep.Result out = batch.run(gpt, pool, manager, false);
    for (Sequence s : active) {
      float[] cond = out.logits(s.lease.row(0), 0);
      float[] uncond = s.lease.streams() > 1 ? out.logits(s.lease.row(1), 0) : null;
      s.tokens[s.count++] = TokenSampler.next(cond, uncond, s.job.sampling(), s.random);
      s.lease.advance(1);
      s.steps++;
      s.targetForwards++;
    }
    return collectFinished();
  }
}
