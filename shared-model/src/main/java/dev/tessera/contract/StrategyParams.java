package dev.tessera.contract;

import java.util.List;

/**
 * Per-request parameters of the accelerated strategies, by their API names.
 *
 * @param draftLen draft levels per step: γ for a chain, the tree's depth for a draft tree
 *     (speculative, lantern)
 * @param lanternK neighbourhood size k in the codebook's latent space (lantern)
 * @param lanternDelta TV budget δ in [0, 1]; a value above 1 is LANTERN++'s multiplicative λ
 * @param lanternRule {@code bounded} (default): the output distribution at every verified position is
 *     within TV δ of the target's (λ: at most λ·p(y) for every token y), computed with the drafts
 *     actually used; {@code paper}: LANTERN's per-draft rule (TV(p, p̃ₓ) ≤ δ for each draft x alone;
 *     the output itself may be further from p when several drafts are possible)
 * @param treeTopK children per expanded node of an EAGLE-2 dynamic draft tree
 * @param treeTokens drafted nodes verified per step in the tree (the root not counted); 0 drafts a
 *     chain of {@code draftLen} sampled tokens instead of a tree
 * @param draftThreshold a chain stops drafting, before {@code draftLen}, at the first draft after
 *     which the drafter's probability of the drafted tokens (the product of each one's q) is below
 *     this; 0 always drafts {@code draftLen}. The decision uses the drafter alone, so the acceptance
 *     rule's guarantee is unchanged
 * @param treeKind {@code dynamic}: EAGLE-2's tree of the drafter's top-k children, expanded by
 *     cumulative confidence and reranked; {@code static}: LANTERN++'s static tree, at every depth
 *     {@code treeTopK} children sampled from the drafter without replacement, the first of which
 *     is expanded, filled depth by depth up to {@code treeTokens} nodes
 */
public record StrategyParams(int draftLen, int lanternK, double lanternDelta, String lanternRule,
    int treeTopK, int treeTokens, double draftThreshold, String treeKind) {

  /** The most drafts per step a request may ask for (the speculative decoders' cache margin). */
  public static final int MAX_DRAFT_LEN = 12;
  /** The most tree nodes per step (the tree decoders' cache margin). */
  public static final int MAX_TREE_TOKENS = 64;
  /** The most children per expanded tree node. */
  public static final int MAX_TREE_TOP_K = 16;
  /** LANTERN's rule whose bound holds on the output distribution. */
  public static final String BOUNDED = "bounded";
  /** LANTERN's rule as published (per draft). */
  public static final String PAPER = "paper";
  private static final List<String> RULES = List.of(BOUNDED, PAPER);
  /** EAGLE-2's dynamic draft tree. */
  public static final String DYNAMIC = "dynamic";
  /** LANTERN++'s static draft tree with sampled children. */
  public static final String STATIC = "static";
  private static final List<String> TREE_KINDS = List.of(DYNAMIC, STATIC);

  /**
   * Defaults: a chain of 4 (on fm-ar it was the fastest form in batches of 16, where an adaptive
   * chain drafts as deep as its most confident member: 1.13× against 0.58× over ar; at batch 1 the
   * adaptive chain of 12 at threshold 0.05 was faster, 1.90× against 1.73×,
   * docs/benchmarks/decode.md), k = 16, δ = 0.1 with the bounded rule; a tree, when asked for with
   * tree_tokens, is dynamic and expands 8 children per node.
   */
  public static final StrategyParams DEFAULT = new StrategyParams(4, 16, 0.1, BOUNDED, 8, 0, 0,
      DYNAMIC);

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
    lanternRule = lanternRule == null ? BOUNDED : lanternRule;
    if (!RULES.contains(lanternRule)) {
      throw new IllegalArgumentException("lantern_rule must be one of " + RULES + ", was '"
          + lanternRule + "'");
    }
    if (treeTokens < 0 || treeTokens > MAX_TREE_TOKENS) {
      throw new IllegalArgumentException("tree_tokens must be in [0, " + MAX_TREE_TOKENS
          + "] (0: a chain), was " + treeTokens);
    }
    if (treeTopK < 1 || treeTopK > MAX_TREE_TOP_K) {
      throw new IllegalArgumentException("tree_top_k must be in [1, " + MAX_TREE_TOP_K
          + "], was " + treeTopK);
    }
    if (!(draftThreshold >= 0 && draftThreshold < 1)) {
      throw new IllegalArgumentException("draft_threshold must be in [0, 1), was " + draftThreshold);
    }
    treeKind = treeKind == null ? DYNAMIC : treeKind;
    if (!TREE_KINDS.contains(treeKind)) {
      throw new IllegalArgumentException("tree_kind must be one of " + TREE_KINDS + ", was '"
          + treeKind + "'");
    }
  }

  /** A chain or a dynamic tree with every draft drawn (no threshold). */
  public StrategyParams(int draftLen, int lanternK, double lanternDelta, String lanternRule,
      int treeTopK, int treeTokens) {
    this(draftLen, lanternK, lanternDelta, lanternRule, treeTopK, treeTokens, 0, DYNAMIC);
  }

  /** A chain of γ sampled drafts with the default rule (the strategies' first form). */
  public StrategyParams(int draftLen, int lanternK, double lanternDelta) {
    this(draftLen, lanternK, lanternDelta, BOUNDED, DEFAULT.treeTopK, 0);
  }

  /** Whether the drafts form an EAGLE-2 dynamic tree (else a chain). */
  public boolean tree() {
    return treeTokens > 0;
  }

  /** Whether the drafts form EAGLE-2's dynamic tree of the drafter's top children. */
  public boolean dynamicTree() {
    return tree() && DYNAMIC.equals(treeKind);
  }

  /** Whether the tree is LANTERN++'s static tree of sampled children. */
  public boolean staticTree() {
    return tree() && STATIC.equals(treeKind);
  }

  /** Whether LANTERN uses the paper's per-draft rule. */
  public boolean paperRule() {
    return PAPER.equals(lanternRule);
  }
}
