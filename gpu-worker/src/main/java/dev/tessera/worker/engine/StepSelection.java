package dev.tessera.worker.engine;

import dev.tessera.contract.Priority;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of a group's running sequences step in an iteration, and whether another may join: the
 * decode loop's latency policy, a pure function of who is decoding.
 *
 * <ul>
 *   <li>While a high-priority sequence decodes anywhere on the worker, only high-priority ones step;
 *       the rest are parked (they keep their slots and cache).
 *   <li>Otherwise, while a <em>light</em> tenant (at most one image decoding on this worker) shares
 *       the group with other tenants' images, the group steps at most {@code lightTenantWidth}
 *       images: every light tenant's, and the oldest of the others up to the remaining width (at
 *       least one, so nobody stops). A step's cost grows with its width (on the 2-core reference
 *       machine 12 images cost 2.9× one image, 4 cost 1.5×), so this keeps a light tenant's
 *       request near its unloaded decode time beside a flood, as equal weights entitle it to; the
 *       flood's tenant gets the rest of the width and all of it whenever no light tenant decodes.
 *   <li>Otherwise every sequence steps.
 * </ul>
 */
final class StepSelection {

  /** A running sequence, in admission order. */
  record Decoding(String requestId, String tenantId, Priority priority) {}

  private StepSelection() {}

  /** A tenant with at most one image decoding on the worker. */
  static boolean light(String tenantId, Map<String, Integer> decodingByTenant) {
    return decodingByTenant.getOrDefault(tenantId, 0) <= 1;
  }

  /**
   * The request ids that step.
   *
   * @param running the group's running sequences, oldest first
   * @param urgent whether a high-priority sequence decodes on the worker
   * @param decodingByTenant images decoding on the worker, per tenant
   * @param lightTenantWidth the width cap while a light tenant shares the group; 0 turns it off
   */
  static Set<String> stepping(List<Decoding> running, boolean urgent,
      Map<String, Integer> decodingByTenant, int lightTenantWidth) {
    Set<String> step = new LinkedHashSet<>();
    if (urgent) {
      running.stream().filter(d -> d.priority() == Priority.HIGH)
          .forEach(d -> step.add(d.requestId()));
      return step;
    }
    int lightImages = (int) running.stream()
        .filter(d -> light(d.tenantId(), decodingByTenant)).count();
    if (lightTenantWidth == 0 || lightImages == 0 || lightImages == running.size()) {
      running.forEach(d -> step.add(d.requestId()));
      return step;
    }
    int others = othersWidth(lightImages, lightTenantWidth);
    for (Decoding d : running) {
      if (light(d.tenantId(), decodingByTenant)) {
        step.add(d.requestId());
      } else if (others > 0) {
        step.add(d.requestId());
        others--;
      }
    }
    return step;
  }

  /**
   * Whether a request of {@code tenantId} may be admitted next to the group's running sequences:
   * always for high priority and for a light tenant (it grows toward its share); a heavier
   * tenant's request waits at the step boundary while a light tenant's image decodes in the group
   * and the other tenants already fill the width that leaves (admitted, it would only be parked).
   */
  static boolean mayJoin(String tenantId, Priority priority, List<Decoding> running,
      Map<String, Integer> decodingByTenant, int lightTenantWidth) {
    if (lightTenantWidth == 0 || priority == Priority.HIGH
        || light(tenantId, decodingByTenant)) {
      return true;
    }
    int lightImages = 0;
    int otherImages = 0;
    for (Decoding d : running) {
      if (light(d.tenantId(), decodingByTenant)) {
        lightImages++;
      } else {
        otherImages++;
      }
    }
    return lightImages == 0 || otherImages < othersWidth(lightImages, lightTenantWidth);
  }

  private static int othersWidth(int lightImages, int lightTenantWidth) {
    return Math.max(1, lightTenantWidth - lightImages);
  }
}
