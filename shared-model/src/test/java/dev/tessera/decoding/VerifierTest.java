package dev.tessera.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.sampling.RequestRandom;
import org.junit.jupiter.api.Test;

/**
 * Exactness of one speculative draft at the distribution level: draw x ~ q, verify against p; the
 * output must be distributed as p. A chi-square goodness-of-fit at fixed seeds accepts the real
 * residual and rejects a wrong one (drawing from p itself on rejection).
 */
class VerifierTest {

  private static final double[] P = {0.05, 0.40, 0.10, 0.30, 0.15};
  private static final double[] Q = {0.30, 0.10, 0.30, 0.10, 0.20};
  private static final int DRAWS = 40_000;
  // chi-square critical value, 4 degrees of freedom, p = 0.001
  private static final double CRITICAL = 18.47;

  @Test
  void exactRejectionSamplingReproducesTheTargetDistribution() {
    RequestRandom r = new RequestRandom(2024);
    int[] counts = new int[P.length];
    for (int i = 0; i < DRAWS; i++) {
      int x = r.sample(Q);
      counts[Verifier.verify(P, Q, x, r).token()]++;
    }
    assertThat(chiSquare(counts, P)).as("chi-square of output vs p").isLessThan(CRITICAL);
  }

  @Test
  void theSameTestCatchesAWrongResidual() {
    RequestRandom r = new RequestRandom(2024);
    int[] counts = new int[P.length];
    for (int i = 0; i < DRAWS; i++) {
      int x = r.sample(Q);
      AcceptanceRule.Verdict v = Verifier.verify(P, Q, x, r);
      // wrong: on rejection draw from p instead of norm(max(p - q, 0))
      counts[v.accepted() ? x : r.sample(P)]++;
    }
    assertThat(chiSquare(counts, P)).as("chi-square with a wrong residual").isGreaterThan(CRITICAL);
  }

  static double chiSquare(int[] counts, double[] expected) {
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    double chi = 0;
    for (int i = 0; i < counts.length; i++) {
      double e = expected[i] * total;
      if (e <= 0) {
        chi += counts[i] == 0 ? 0 : Double.POSITIVE_INFINITY; // an impossible token was drawn
        continue;
      }
      chi += (counts[i] - e) * (counts[i] - e) / e;
    }
    return chi;
  }
}
