package dev.tessera.worker.cli;

import dev.tessera.contract.StrategyParams;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The strategy parameters of the API, as flags (API names with dashes). */
public final class StrategyOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  private static final StrategyParams D = StrategyParams.DEFAULT;

  @Option(names = "--draft-len", description = "drafted tokens per step (speculative, lantern)")
  int draftLen = D.draftLen();

  @Option(names = "--lantern-k", description = "LANTERN's latent neighbourhood size")
  int lanternK = D.lanternK();

  @Option(names = "--lantern-delta", description = "LANTERN's total-variation budget")
  double lanternDelta = D.lanternDelta();

  @Option(names = "--lantern-rule", description = "bounded or paper")
  String lanternRule = D.lanternRule();

  @Option(names = "--tree-top-k", description = "children per node of the draft tree")
  int treeTopK = D.treeTopK();

  @Option(names = "--tree-tokens", description = "nodes of the draft tree (0: a chain of --draft-len)")
  int treeTokens = D.treeTokens();

  @Option(names = "--draft-threshold", description = "a chain stops drafting once the drafter's"
      + " probability of its drafts falls below this (0: always --draft-len)")
  double draftThreshold = D.draftThreshold();

  @Option(names = "--tree-kind", description = "dynamic (EAGLE-2 top-k) or static (LANTERN++,"
      + " sampled children)")
  String treeKind = D.treeKind();

  /** The parameters; a value out of bounds is a usage error naming its flag. */
  public StrategyParams params() {
    try {
      return new StrategyParams(Ranges.check(spec, "--draft-len", draftLen, 1,
          StrategyParams.MAX_DRAFT_LEN), Ranges.check(spec, "--lantern-k", lanternK, 0, 1 << 20),
          lanternDelta, lanternRule,
          Ranges.check(spec, "--tree-top-k", treeTopK, 1, StrategyParams.MAX_TREE_TOP_K),
          Ranges.check(spec, "--tree-tokens", treeTokens, 0, StrategyParams.MAX_TREE_TOKENS),
          draftThreshold, treeKind);
    } catch (IllegalArgumentException e) {
      throw Ranges.usage(spec, e.getMessage().replace("draft_len", "--draft-len")
          .replace("lantern_k", "--lantern-k").replace("lantern_delta", "--lantern-delta")
          .replace("lantern_rule", "--lantern-rule").replace("tree_top_k", "--tree-top-k")
          .replace("tree_tokens", "--tree-tokens").replace("draft_threshold", "--draft-threshold")
          .replace("tree_kind", "--tree-kind"));
    }
  }
}
