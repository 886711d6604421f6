package dev.tessera.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.contract.SamplingParams;
import org.junit.jupiter.api.Test;

class LogitProcessorTest {

  @Test
  void cfgCombinesRawLogitsAsUncondPlusScaleTimesDifference() {
    float[] out = LogitProcessor.cfg(new float[] {1f, 2f, -1f}, new float[] {0.5f, 3f, -1f}, 2.0);
    // 0.5 + 2(1 - 0.5) = 1.5; 3 + 2(2 - 3) = 1; -1 + 2(0) = -1
    assertThat(out).as("CFG with s = 2").containsExactly(1.5f, 1.0f, -1.0f);
  }

  @Test
  void cfgWithoutUncondStreamIsTheCondLogits() {
    assertThat(LogitProcessor.cfg(new float[] {1f, 2f}, null, 3.0)).as("no uncond stream")
        .containsExactly(1f, 2f);
  }

  @Test
  void temperatureScalesLogitsBeforeSoftmax() {
    double[] p = LogitProcessor.probabilities(new float[] {0f, (float) Math.log(3)},
        new SamplingParams(1, 0.5, 0, 1));
    // logits / 0.5 = {0, 2 ln 3}: probabilities 1/10 and 9/10
    assertThat(p[0]).as("p0 at T = 0.5").isCloseTo(0.1, within(1e-6));
    assertThat(p[1]).as("p1 at T = 0.5").isCloseTo(0.9, within(1e-6));
  }

  @Test
  void topKKeepsTheKLargestAndTiesWithTheKth() {
    double[] p = LogitProcessor.probabilities(new float[] {3f, 1f, 2f, 2f, 0f},
        new SamplingParams(1, 1, 2, 1));
    // the 2nd largest is 2; both 2s are kept (ties), 1 and 0 are removed
    assertThat(p[1]).as("token below the k-th").isZero();
    assertThat(p[4]).as("token below the k-th").isZero();
    double z = Math.exp(3) + 2 * Math.exp(2);
    assertThat(p[0]).as("largest").isCloseTo(Math.exp(3) / z, within(1e-12));
    assertThat(p[2]).as("tie at the k-th, kept").isCloseTo(Math.exp(2) / z, within(1e-12));
    assertThat(p[3]).as("tie at the k-th, kept").isCloseTo(Math.exp(2) / z, within(1e-12));
  }

  @Test
  void topPRemovesTokensWhoseCumulativeMassBeforeThemExceedsP() {
    // probabilities 0.5, 0.3, 0.15, 0.05 (as logs)
    float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15),
        (float) Math.log(0.05)};
    double[] p = LogitProcessor.probabilities(logits, new SamplingParams(1, 1, 0, 0.6));
    // cumulative before each: 0, 0.5, 0.8, 0.95 -> keep the first two (0.5 <= 0.6), drop the rest
    assertThat(p[2]).as("third token: 0.8 before it > 0.6").isZero();
    assertThat(p[3]).as("fourth token").isZero();
    assertThat(p[0]).as("renormalised first").isCloseTo(0.5 / 0.8, within(1e-6));
    assertThat(p[1]).as("renormalised second").isCloseTo(0.3 / 0.8, within(1e-6));
  }

  @Test
  void topPAlwaysKeepsTheMostLikelyToken() {
    double[] p = LogitProcessor.probabilities(new float[] {5f, 0f, 0f},
        new SamplingParams(1, 1, 0, 0.01));
    assertThat(p[0]).as("the top token survives any top_p").isEqualTo(1.0);
  }

  @Test
  void greedyIsTheArgmaxOfTheCfgLogits() {
    float[] cond = {1f, 3f, 2f};
    float[] uncond = {0f, 4f, 0f};
    // s = 3: {3, 1, 6} -> argmax 2, although cond alone would pick 1
    int t = TokenSampler.next(cond, uncond, new SamplingParams(3, 0, 0, 1), new RequestRandom(1));
    assertThat(t).as("greedy token after CFG").isEqualTo(2);
  }

  @Test
  void sameSeedGivesSameDraws() {
    double[] p = {0.2, 0.3, 0.5};
    RequestRandom a = new RequestRandom(99);
    RequestRandom b = new RequestRandom(99);
    for (int i = 0; i < 100; i++) {
      assertThat(a.sample(p)).as("draw " + i).isEqualTo(b.sample(p));
    }
  }

  @Test
  void drawsFollowTheDistribution() {
    double[] p = {0.2, 0.0, 0.8};
    RequestRandom r = new RequestRandom(5);
    int[] counts = new int[3];
    for (int i = 0; i < 20000; i++) {
      counts[r.sample(p)]++;
    }
    assertThat(counts[1]).as("zero-probability token never drawn").isZero();
    assertThat(counts[0] / 20000.0).as("frequency of p = 0.2").isCloseTo(0.2, within(0.015));
  }
}
