package dev.tessera.infra.bench;

import java.time.Instant;
import java.util.List;

/**
 * Everything one {@code bench load} run observed, for {@link LoadReport}.
 *
 * @param settings what was run
 * @param samples every submission, all phases
 * @param windowStart the measurement window on the client's clock: loaded phase start + ramp
 * @param windowEnd the end of the loaded phase (no submissions after it), client's clock
 */
record LoadResult(Settings settings, List<Sample> samples, Instant windowStart,
    Instant windowEnd) {

  /**
   * @param system {@code embedded} or the URL of the running system
   * @param loadedSeconds length of the loaded phase, ramp included
   * @param rampSeconds start of the loaded phase left out of the measurement window
   * @param flood outstanding requests of the flooding class
   * @param workerSlots images the worker holds at once ({@code tessera.worker.max-images}); 0 when
   *     unknown (a running system)
   */
  record Settings(Scenario scenario, String system, String model, String strategy,
      double loadedSeconds, double rampSeconds, int flood, int workerSlots) {}
}
