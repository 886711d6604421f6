package dev.tessera.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.model.GptConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Greedy speculative decoding (chain and tree, exact) gives greedy AR's tokens one for one, on a
 * planted 4×4-grid model whose drafter disagrees with the target (so drafts are rejected and the
 * argmax fallback and the bonus token both run), several images batched together.
 */
class GreedySpeculationTest {

  private static final GptConfig GRID4 = GptConfig.of(16, 1, 2, 8, 2, 4);
  private static final SamplingParams GREEDY = new SamplingParams(3.0, 0, 0, 1.0);

  @Test
  void greedySpeculationEqualsGreedyArTokenForToken() {
    try (PlantedModel m = new PlantedModel(5, GRID4)) {
      List<DecodeJob> ar = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ar.add(new DecodeJob("ar" + i, i % 2, i, GREEDY, Strategy.AR, StrategyParams.DEFAULT));
      }
      List<DecodeOutput> reference;
      try (ArDecoder d = new ArDecoder(m.gpt, m.manager, 6)) {
        reference = d.decodeAll(ar);
      }
      StrategyParams[] forms = {new StrategyParams(3, 0, 0),
          new StrategyParams(4, 0, 0, StrategyParams.BOUNDED, 3, 10),
          new StrategyParams(4, 0, 0, StrategyParams.BOUNDED, 2, 8, 0, StrategyParams.STATIC),
          new StrategyParams(6, 0, 0, StrategyParams.BOUNDED, 2, 0, 0.5, StrategyParams.DYNAMIC)};
      for (StrategyParams params : forms) {
        List<DecodeJob> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          jobs.add(new DecodeJob("s" + i, i % 2, i, GREEDY, Strategy.SPECULATIVE, params));
        }
        int accepted = 0;
        int rejectedRounds = 0;
        try (SpeculativeDecoder d = new SpeculativeDecoder(m.drafter, m.manager, 6,
            j -> AcceptanceRule.EXACT, StrategyParams.MAX_DRAFT_LEN)) {
          List<DecodeOutput> out = d.decodeAll(jobs);
          for (int i = 0; i < 6; i++) {
            assertThat(out.get(i).tokens()).as("image %d, %s", i, params)
                .isEqualTo(reference.get(i).tokens());
            accepted += out.get(i).metrics().acceptedTokens();
            rejectedRounds += out.get(i).metrics().acceptedPerPosition()[0];
          }
        }
        assertThat(accepted).as("some drafts accepted").isPositive();
        assertThat(rejectedRounds).as("some rounds rejected their first draft").isPositive();
      }
    }
  }
}
