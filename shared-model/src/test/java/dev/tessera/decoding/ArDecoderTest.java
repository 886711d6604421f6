package dev.tessera.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.model.GptConfig;
import dev.tessera.serving.ModelLoader;
import dev.tessera.serving.ServedModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArDecoderTest {

  private static final GptConfig TINY = GptConfig.of(32, 2, 2, 64, 3, 4);

  @Test
  void aRequestDecodesToTheSameTokensAloneAndInsideAMixedBatch() {
    DecodeJob probe = DecodeJob.ar("probe", 1, 1234, new SamplingParams(2.0, 1.0, 0, 1.0));
    List<DecodeJob> others = List.of(
        DecodeJob.ar("a", 0, 1, new SamplingParams(1.0, 1.0, 0, 1.0)), // no CFG: one stream
        DecodeJob.ar("b", 2, 2, new SamplingParams(4.0, 0.7, 10, 0.9)),
        DecodeJob.ar("c", 1, 3, new SamplingParams(2.0, 0.0, 0, 1.0))); // greedy
    try (ServedModel model = ModelLoader.random("tiny", TINY, 11)) {
      int[] alone;
      try (StepDecoder d = model.newDecoder(Strategy.AR, 4)) {
        alone = d.decodeAll(List.of(probe)).get(0).tokens();
      }
      int[] batched;
      try (StepDecoder d = model.newDecoder(Strategy.AR, 4)) {
        // two join first, the probe joins three steps later, the last after it: uneven progress
        d.admit(others.get(0));
        d.admit(others.get(1));
        for (int i = 0; i < 3; i++) {
          d.step();
        }
        d.admit(probe);
        d.step();
        d.admit(others.get(2));
        batched = null;
        while (d.activeJobs() > 0) {
          for (DecodeOutput out : d.step()) {
            if (out.requestId().equals("probe")) {
              batched = out.tokens();
            }
          }
        }
      }
      assertThat(batched).as("probe's tokens inside a mixed batch").isEqualTo(alone);
    }
  }

  @Test
  void parkedSequencesKeepTheirCacheCostNoRowsAndResumeToTheTokensTheyWouldHaveHadAlone() {
    DecodeJob first = DecodeJob.ar("first", 0, 7, new SamplingParams(2.0, 1.0, 0, 1.0));
    DecodeJob noCfg = DecodeJob.ar("nocfg", 2, 8, new SamplingParams(1.0, 1.0, 0, 1.0));
    DecodeJob urgent = DecodeJob.ar("urgent", 1, 9, new SamplingParams(2.0, 1.0, 0, 1.0));
    try (ServedModel model = ModelLoader.random("tiny", TINY, 11)) {
      java.util.Map<String, int[]> alone = new java.util.HashMap<>();
      for (DecodeJob job : List.of(first, noCfg, urgent)) {
        try (StepDecoder d = model.newDecoder(Strategy.AR, 4)) {
          alone.put(job.requestId(), d.decodeAll(List.of(job)).get(0).tokens());
        }
      }
      java.util.Map<String, int[]> got = new java.util.HashMap<>();
      try (PooledDecoder d = (PooledDecoder) model.newDecoder(Strategy.AR, 4)) {
        d.admit(first);
        d.admit(noCfg);
        d.step();
        d.step();
        d.admit(urgent); // its rows are the last of the pool
        assertThat(d.park("first")).as("park").isTrue();
        assertThat(d.park("nocfg")).as("park").isTrue();
        assertThat(d.steppingRows()).as("only the urgent one's two rows are stepped").isEqualTo(2);
        while (got.size() < 1) {
          d.step().forEach(o -> got.put(o.requestId(), o.tokens()));
        }
        assertThat(d.activeJobs()).as("the parked ones still hold their slots").isEqualTo(2);
        assertThat(d.resume("first") && d.resume("nocfg")).as("resume").isTrue();
        while (d.activeJobs() > 0) {
          d.step().forEach(o -> got.put(o.requestId(), o.tokens()));
        }
      }
      for (String id : alone.keySet()) {
        assertThat(got.get(id)).as(id + ": parked, moved in the pool and resumed, same tokens")
            .isEqualTo(alone.get(id));
      }
    }
  }

  @Test
  void everyImageTakesOneStepPerTokenAndFreesItsSlots() {
    try (ServedModel model = ModelLoader.random("tiny", TINY, 12);
        StepDecoder d = model.newDecoder(Strategy.AR, 2)) {
      List<DecodeOutput> outs = d.decodeAll(List.of(
          DecodeJob.ar("x", 0, 5, SamplingParams.DEFAULT),
          DecodeJob.ar("y", 2, 6, SamplingParams.DEFAULT)));
      for (DecodeOutput o : outs) {
        assertThat(o.tokens()).as("tokens of " + o.requestId()).hasSize(16);
        assertThat(o.metrics().steps()).as("steps of " + o.requestId()).isEqualTo(16);
        assertThat(o.metrics().targetForwards()).as("target forwards").isEqualTo(16);
      }
      assertThat(d.freeSlots()).as("slots after both finished").isEqualTo(4);
    }
  }

  @Test
  void cancellingARunningRequestFreesItsSlotsAndTheOthersFinish() {
    try (ServedModel model = ModelLoader.random("tiny", TINY, 13);
        StepDecoder d = model.newDecoder(Strategy.AR, 2)) {
      d.admit(DecodeJob.ar("keep", 0, 1, SamplingParams.DEFAULT));
      d.admit(DecodeJob.ar("drop", 1, 2, SamplingParams.DEFAULT));
      d.step();
      assertThat(d.cancel("drop")).as("cancel of an active job").isTrue();
      assertThat(d.freeSlots()).as("slots freed by the cancel").isEqualTo(2);
      assertThat(d.totalSlots()).as("two rows per image under CFG, leased or not").isEqualTo(4);
      int finished = 0;
      while (d.activeJobs() > 0) {
        finished += d.step().size();
      }
      assertThat(finished).as("the remaining job finishes").isEqualTo(1);
    }
  }
}
