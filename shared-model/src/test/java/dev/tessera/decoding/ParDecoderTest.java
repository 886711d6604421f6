package dev.tessera.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.model.AttentionMasks;
import dev.tessera.model.Gpt;
import dev.tessera.model.GptConfig;
import dev.tessera.model.KvAccess;
import dev.tessera.model.SequenceLayout;
import dev.tessera.model.TinyModels;
import dev.tessera.sampling.LogitProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParDecoderTest {

  private static final SamplingParams GREEDY_NO_CFG = new SamplingParams(1.0, 0.0, 0, 1.0);

  @Test
  void stepCountIsNPlusTokensOverNMinusOne() {
    int[][] cases = {{16, 4, 67}, {16, 16, 31}, {4, 4, 7}};
    for (int[] c : cases) {
      GptConfig config = GptConfig.of(32, 1, 2, 64, 3, c[0]).withParallelTokens(c[1]);
      try (NDManager m = NDManager.newBaseManager();
          ParDecoder d = new ParDecoder(TinyModels.gpt(m, config, 1), m, 1)) {
        DecodeOutput out = d.decodeAll(List.of(DecodeJob.ar("x", 0, 1, SamplingParams.DEFAULT)))
            .get(0);
        assertThat(out.metrics().steps()).as("steps for %d tokens, n = %d", c[0] * c[0], c[1])
            .isEqualTo(c[2]);
        assertThat(out.tokens()).as("tokens").hasSize(c[0] * c[0]);
      }
    }
  }

  @Test
  void cachedParDecodeEqualsAFullForwardWithTheGroupMask() {
    GptConfig config = GptConfig.of(32, 2, 2, 64, 3, 4).withParallelTokens(4);
    SequenceLayout layout = new SequenceLayout(config);
    try (NDManager m = NDManager.newBaseManager()) {
      Gpt gpt = TinyModels.gpt(m, config, 21);
      int[] raster;
      try (ParDecoder d = new ParDecoder(gpt, m, 2)) {
        // a second request in another phase shares the steps (padded feeds)
        d.admit(DecodeJob.ar("other", 2, 9, SamplingParams.DEFAULT));
        d.step();
        d.step();
        d.admit(new DecodeJob("probe", 1, 5, GREEDY_NO_CFG, Strategy.PAR, StrategyParams.DEFAULT));
        raster = null;
        while (d.activeJobs() > 0) {
          for (DecodeOutput o : d.step()) {
            if (o.requestId().equals("probe")) {
              raster = o.tokens();
            }
          }
        }
      }
      int[] seq = layout.toSequenceOrder(raster);
      long[][] in = layout.teacherForcedInputs(seq, 1);
      int t = config.sequenceLength();
      try (NDManager scope = m.newSubManager()) {
        NDArray logits = gpt.forward(scope, scope.create(in[0], new Shape(1, t)),
            scope.create(in[1], new Shape(1, t)),
            AttentionMasks.forSequence(scope, layout.maskLimits()), KvAccess.NONE).logits();
        float[] flat = logits.toFloatArray();
        int v = config.vocabSize();
        for (int p = 0; p < t; p++) {
          float[] row = new float[v];
          System.arraycopy(flat, p * v, row, 0, v);
          assertThat(LogitProcessor.argmax(row)).as("greedy token at sequence position " + p)
              .isEqualTo(seq[p]);
        }
      }
    }
  }
}
