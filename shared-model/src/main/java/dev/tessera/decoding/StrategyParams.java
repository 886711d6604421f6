package dev.tessera.decoding;

/**
 * Per-request parameters of the accelerated strategies, by their API names.
 *
 * @param draftLen γ, tokens the drafter proposes per step (speculative, lantern)
 * @param lanternK neighbourhood size k in the codebook's latent space (lantern)
 * @param lanternDelta TV budget δ in [0, 1]; a value above 1 is LANTERN++'s multiplicative λ
 */
public record StrategyParams(int draftLen, int lanternK, double lanternDelta) {

  /** The most drafts per step a request may ask for (the speculative decoders' cache margin). */
  public static final int MAX_DRAFT_LEN = 8;

  /** Defaults: γ = 4, k = 16, δ = 0.1. */
  public static final StrategyParams DEFAULT = new StrategyParams(4, 16, 0.1);

  public StrategyParams {
    if (draftLen < 1 || draftLen > MAX_DRAFT_LEN) {
      throw new IllegalArgumentException("draft_len must be in [1, " + MAX_DRAFT_LEN + "], was "
          + draftLen);
    }
    if (lanternK < 0) {
      throw new IllegalArgumentException("lantern_k must be >= 0, was " + lanternK);
    }
    if (!Double.isFinite(lanternDelta) || lanternDelta < 0 || lanternDelta > 100) {
      throw new IllegalArgumentException("lantern_delta must be in [0, 100], was " + lanternDelta);
    }
  }
}
