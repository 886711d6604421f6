package dev.tessera.infra.bench.chaos;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tessera.contract.Json;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of a chaos run (JSON in snake case: {@code lost}, {@code duplicated}, {@code
 * billing_mismatches}, {@code http_5xx}, ...). The promise is that the five figures {@link
 * #violations} sums are zero; the rest describes the run.
 *
 * @param http5xx POST answers 5xx other than 503 (a 503 with Retry-After is the promised answer
 *     while a server is away)
 * @param http503 POST answers 503
 * @param http503WithoutRetryAfter of those, without a Retry-After header
 * @param noAnswer POSTs without an answer (gateway killed, connection refused, 10 s timeout)
 * @param slowAnswers POST answers that took more than a second
 * @param slow503 of those, 503s (the promise is a refusal within a second)
 * @param drainS seconds from the end of the load until every accepted request was terminal
 */
public record ChaosReport(int seconds, long seed, String cluster, String model, double ratePerS,
    long tickets, long accepted, long succeeded, Map<String, Long> failed, long lost,
    long duplicated, long billingMismatches, @JsonProperty("http_5xx") long http5xx,
    @JsonProperty("http_503") long http503,
    @JsonProperty("http_503_without_retry_after") long http503WithoutRetryAfter, long noAnswer, long slowAnswers, @JsonProperty("slow_503") long slow503, long postP50Ms,
    long postP99Ms, long storedButRefused, long cacheMismatches, long decodedTwice,
    long abandoned, long refused, List<FaultRecord> faults, Double maxRecoveryS, double drainS,
    List<String> problems, @JsonProperty("http_5xx_samples") List<String> http5xxSamples) {

  /**
   * The sum of the figures that must be zero: lost, duplicated, billing mismatches, 5xx and
   * stored-but-refused.
   */
  public long violations() {
    return lost + duplicated + billingMismatches + http5xx + storedButRefused;
  }

  /** Whether every fault recovered within the probe's limit. */
  public boolean allRecovered() {
    return faults.stream().map(FaultRecord::recoveryS).allMatch(Objects::nonNull);
  }

  static Double maxRecovery(List<FaultRecord> faults) {
    return faults.stream().map(FaultRecord::recoveryS).filter(Objects::nonNull)
        .max(Double::compare).orElse(null);
  }

  /** The report for people: figures, then the fault timeline. */
  public void print(PrintStream out) {
    out.printf("chaos: %d s, seed %d, %s, model %s, %.2f requests/s%n", seconds, seed, cluster,
        model, ratePerS);
    out.printf("  tickets %d, accepted %d (stored), succeeded %d, failed %s, abandoned %d, "
        + "refused %d%n", tickets, accepted, succeeded, failed, abandoned, refused);
    out.printf("  lost %d, duplicated %d, billing mismatches %d, http 5xx %d, stored but refused "
        + "%d%n", lost, duplicated, billingMismatches, http5xx, storedButRefused);
    out.printf("  http 503 %d (%d without Retry-After), no answer %d, answers over 1 s %d (503: %d), "
        + "POST p50 %d ms p99 %d ms%n", http503, http503WithoutRetryAfter, noAnswer, slowAnswers,
        slow503, postP50Ms, postP99Ms);
    out.printf("  Redis cache mismatches %d, decoded twice %d, drain %.1f s%n", cacheMismatches,
        decodedTwice, drainS);
    out.println("  faults (at s, kind, target, lasted s, recovered after s):");
    for (FaultRecord f : faults) {
      out.printf("    %6.1f  %-17s %-12s %5.1f  %s%n", f.atS(), f.kind(), f.target(), f.lastedS(),
          f.recoveryS() == null ? "NOT RECOVERED" : String.format("%.1f", f.recoveryS()));
    }
    out.printf("  max recovery %s s%n", maxRecoveryS == null ? "-" : String.format("%.1f",
        maxRecoveryS));
    problems.forEach(p -> out.println("  problem: " + p));
    http5xxSamples.forEach(p -> out.println("  5xx: " + p));
  }

  /** One line of JSON. */
  public String json() {
    return Json.toText(this);
  }
}
