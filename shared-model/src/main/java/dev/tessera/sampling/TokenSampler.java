package dev.tessera.sampling;

import dev.tessera.contract.SamplingParams;

/** Turns one position's cond (and uncond) logits into a token for one request. */
public final class TokenSampler {

  private TokenSampler() {}

  /** CFG, then LlamaGen's processing, then a draw from the request's stream (argmax if greedy). */
  public static int next(float[] cond, float[] uncond, SamplingParams params, RequestRandom random) {
    float[] logits = LogitProcessor.cfg(cond, params.usesCfg() ? uncond : null, params.cfgScale());
    if (params.greedy()) {
      return LogitProcessor.argmax(logits);
    }
    return random.sample(LogitProcessor.probabilities(logits, params));
  }
}
