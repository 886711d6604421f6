package dev.tessera.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.contract.DecodeMetrics;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.model.GptConfig;
import dev.tessera.serving.ModelLoader;
import dev.tessera.serving.ServedModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeculativeDecoderTest {

  private static final GptConfig TINY = GptConfig.of(32, 2, 2, 64, 3, 4);

  private static DecodeJob job(String id, Strategy s, int draftLen, double delta, long seed) {
    return new DecodeJob(id, (int) (seed % 3), seed, new SamplingParams(2.0, 1.0, 0, 1.0), s,
        new StrategyParams(draftLen, 8, delta));
  }

  @Test
  void lanternWithZeroDeltaGivesExactlyTheTokensOfSpeculative() {
    try (ServedModel m = ModelLoader.randomWithDrafter("tiny", TINY, 5)) {
      for (long seed = 1; seed <= 4; seed++) {
        int[] spec;
        int[] lantern;
        try (StepDecoder d = m.newDecoder(Strategy.SPECULATIVE, 2)) {
          spec = d.decodeAll(List.of(job("a", Strategy.SPECULATIVE, 3, 0, seed))).get(0).tokens();
        }
        try (StepDecoder d = m.newDecoder(Strategy.LANTERN, 2)) {
          lantern = d.decodeAll(List.of(job("a", Strategy.LANTERN, 3, 0, seed))).get(0).tokens();
        }
        assertThat(lantern).as("lantern δ = 0 vs speculative, seed " + seed).isEqualTo(spec);
      }
    }
  }

  @Test
  void anAdmissionThatFailsGivesBackItsRowsInBothPools() {
    try (ServedModel m = ModelLoader.randomWithDrafter("tiny", TINY, 8);
        StepDecoder d = m.newDecoder(Strategy.LANTERN, 2)) {
      int total = d.totalSlots();
      // wider than the model's neighbour table (63 codes): the LANTERN rule refuses it
      DecodeJob tooWide = new DecodeJob("too-wide", 1, 1, new SamplingParams(2.0, 1.0, 0, 1.0),
          Strategy.LANTERN, new StrategyParams(2, 64, 0.1));
      assertThatThrownBy(() -> d.admit(tooWide)).as("lantern_k 64 is refused")
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(d.freeSlots()).as("target rows after the failed admission").isEqualTo(total);
      assertThat(d.activeJobs()).as("nothing admitted").isZero();
      // the drafter pool too: both CFG jobs the decoder has room for are admitted and finish
      List<DecodeJob> jobs = List.of(job("a", Strategy.LANTERN, 2, 0.1, 1),
          job("b", Strategy.LANTERN, 3, 0.1, 2));
      for (DecodeJob j : jobs) {
        assertThat(d.canAdmit(j)).as("room for " + j.requestId() + " in both pools").isTrue();
        d.admit(j);
      }
      assertThat(d.freeSlots()).as("the pool is full").isZero();
      int finished = 0;
      while (d.activeJobs() > 0) {
        finished += d.step().size();
      }
      assertThat(finished).as("both decoded").isEqualTo(2);
      assertThat(d.freeSlots()).as("every row back").isEqualTo(total);
    }
  }

  @Test
  void aSpeculativeRequestIsBatchInvariantAndCountsItsDrafts() {
    batchInvariant(job("probe", Strategy.SPECULATIVE, 4, 0, 9));
  }

  @Test
  void aTreeRequestIsBatchInvariantBesideChainsAndCountsItsDrafts() {
    batchInvariant(new DecodeJob("probe", 2, 9, new SamplingParams(2.0, 1.0, 0, 1.0),
        Strategy.LANTERN, new StrategyParams(3, 8, 0.1, StrategyParams.BOUNDED, 3, 8)));
  }

  @Test
  void aStaticTreeAndAnAdaptiveChainAreBatchInvariantBesideChains() {
    batchInvariant(new DecodeJob("probe", 2, 9, new SamplingParams(2.0, 1.0, 0, 1.0),
        Strategy.LANTERN, new StrategyParams(4, 8, 0.1, StrategyParams.BOUNDED, 2, 8, 0,
            StrategyParams.STATIC)));
    batchInvariant(new DecodeJob("probe", 2, 9, new SamplingParams(2.0, 1.0, 0, 1.0),
        Strategy.SPECULATIVE, new StrategyParams(6, 8, 0, StrategyParams.BOUNDED, 8, 0, 0.2,
            StrategyParams.DYNAMIC)));
  }

  private static void batchInvariant(DecodeJob probe) {
    try (ServedModel m = ModelLoader.randomWithDrafter("tiny", TINY, 6)) {
      DecodeOutput alone;
      try (StepDecoder d = m.newDecoder(probe.strategy(), 3)) {
        alone = d.decodeAll(List.of(probe)).get(0);
      }
      DecodeOutput batched = null;
      try (StepDecoder d = m.newDecoder(probe.strategy(), 3)) {
        d.admit(job("x", probe.strategy(), 2, 0, 1));
        d.step();
        d.admit(probe);
        d.admit(job("y", probe.strategy(), 1, 0.2, 2));
        while (d.activeJobs() > 0) {
          for (DecodeOutput o : d.step()) {
            if (o.requestId().equals("probe")) {
              batched = o;
            }
          }
        }
        assertThat(d.freeSlots()).as("slots after all finished").isEqualTo(6);
      }
      assertThat(batched.tokens()).as("probe tokens alone vs in a batch").isEqualTo(alone.tokens());
      DecodeMetrics mt = alone.metrics();
      assertThat(mt.acceptedTokens()).as("accepted <= drafted").isLessThanOrEqualTo(mt.draftedTokens());
      int histogramSum = 0;
      for (int c : mt.acceptedPerPosition()) {
        histogramSum += c;
      }
      assertThat(histogramSum).as("one histogram entry per speculative round")
          .isEqualTo(mt.targetForwards() - 1);
      assertThat(mt.meanAcceptedLength()).as("tokens per target forward")
          .isEqualTo(16.0 / mt.targetForwards());
    }
  }

}
