package dev.tessera.contract;

import static dev.tessera.contract.Checks.require;
import static dev.tessera.contract.Checks.requireText;
import static dev.tessera.contract.Checks.requireUuid;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a worker reports about one request on {@link Topics#RESULTS} (key: the request id, so the
 * events of one request stay in order). A {@code RUNNING} event when the request enters the decode
 * loop, then exactly one terminal event. Consumers are idempotent by request id: a redelivered or
 * duplicated event changes nothing once the request is terminal.
 *
 * <p>The scheduler and the gateway also end requests that no worker holds: a request whose deadline
 * passed in the queue (EXPIRED) or that its client cancelled (CANCELLED). Such a <em>withdrawal</em>
 * has no batch, worker or start time ({@link #withdrawn}); the recorder stores it like any other
 * terminal event, not billed.
 *
 * @param requestId generation id
 * @param batchId the batch it was decoded in (null for a withdrawal)
 * @param status RUNNING, or the terminal SUCCEEDED, FAILED, CANCELLED or EXPIRED
 * @param attempt the dispatch attempt this event belongs to (0 for a withdrawal never dispatched)
 * @param workerId the worker that decoded it (null for a withdrawal)
 * @param startedAt when the worker admitted it into its decode loop (worker clock; null for a
 *     withdrawal)
 * @param finishedAt when the worker finished with it (terminal events; worker clock), else null
 * @param metrics decode metrics (SUCCEEDED), else null
 * @param encodeMillis time to encode the PNG (SUCCEEDED), else 0
 * @param png the image (SUCCEEDED), else null
 * @param error why it failed (FAILED, CANCELLED, EXPIRED), else null
 */
public record GenerationResult(
    String requestId,
    String batchId,
    GenerationState status,
    int attempt,
    String workerId,
    Instant startedAt,
    Instant finishedAt,
    DecodeMetrics metrics,
    long encodeMillis,
    byte[] png,
    Failure error) {

  private static final Set<GenerationState> REPORTABLE =
      EnumSet.of(GenerationState.RUNNING, GenerationState.SUCCEEDED, GenerationState.FAILED,
          GenerationState.CANCELLED, GenerationState.EXPIRED);

  /** States that a withdrawal (no batch, no worker) may report. */
  private static final Set<GenerationState> WITHDRAWABLE =
      EnumSet.of(GenerationState.CANCELLED, GenerationState.EXPIRED);

  /** The eight bytes every PNG file starts with. */
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  public GenerationResult {
    requireUuid(requestId, "request_id");
    Objects.requireNonNull(status, "status");
    require(REPORTABLE.contains(status), "a worker cannot report state " + status);
    if (batchId == null && WITHDRAWABLE.contains(status)) {
      require(workerId == null && startedAt == null,
          "a withdrawal carries no worker and no start time");
      require(attempt >= 0, "attempt must be >= 0, was " + attempt);
    } else {
      requireUuid(batchId, "batch_id");
      require(status != GenerationState.EXPIRED, "only a withdrawal reports EXPIRED");
      require(attempt >= 1, "attempt must be >= 1, was " + attempt);
      requireText(workerId, "worker_id");
      Objects.requireNonNull(startedAt, "started_at");
    }
    require(encodeMillis >= 0, "encode_millis must be >= 0");
    if (status == GenerationState.RUNNING) {
      require(finishedAt == null && png == null && error == null,
          "a RUNNING event carries no outcome");
    } else {
      Objects.requireNonNull(finishedAt, "finished_at");
    }
    if (status == GenerationState.SUCCEEDED) {
      Objects.requireNonNull(metrics, "metrics");
      require(png != null && isPng(png), "a SUCCEEDED result carries a PNG image");
      require(error == null, "a SUCCEEDED result carries no error");
    }
    if (status == GenerationState.FAILED || WITHDRAWABLE.contains(status)) {
      Objects.requireNonNull(error, "error");
      require(png == null, "only a SUCCEEDED result carries an image");
    }
  }

  /** The event a worker sends when it admits a request into its decode loop. */
  public static GenerationResult running(
      GenerationRequest request, String batchId, String workerId, Instant startedAt) {
    return new GenerationResult(request.id(), batchId, GenerationState.RUNNING, request.attempt(),
        workerId, startedAt, null, null, 0, null, null);
  }

  /** A finished image. */
  public static GenerationResult succeeded(
      GenerationRequest request, String batchId, String workerId, Instant startedAt,
      Instant finishedAt, DecodeMetrics metrics, long encodeMillis, byte[] png) {
    return new GenerationResult(request.id(), batchId, GenerationState.SUCCEEDED, request.attempt(),
        workerId, startedAt, finishedAt, metrics, encodeMillis, png, null);
  }

  /** A request that failed on the worker; its batch-mates are unaffected. */
  public static GenerationResult failed(
      GenerationRequest request, String batchId, String workerId, Instant startedAt,
      Instant finishedAt, Failure error) {
    return new GenerationResult(request.id(), batchId, GenerationState.FAILED, request.attempt(),
        workerId, startedAt, finishedAt, null, 0, null, error);
  }

  /**
   * A request ended outside any worker: EXPIRED in the scheduler's queue, or CANCELLED before a worker
   * reported it.
   */
  public static GenerationResult withdrawn(String requestId, GenerationState status, int attempt,
      Instant at, Failure reason) {
    return new GenerationResult(requestId, null, status, attempt, null, null, at, null, 0, null,
        reason);
  }

  /** A request a worker stopped at a step boundary because its client cancelled it. */
  public static GenerationResult cancelled(
      GenerationRequest request, String batchId, String workerId, Instant startedAt,
      Instant finishedAt) {
    return new GenerationResult(request.id(), batchId, GenerationState.CANCELLED, request.attempt(),
        workerId, startedAt, finishedAt, null, 0, null,
        Failure.permanent("cancelled", "cancelled by the client"));
  }

  /** Whether this is a withdrawal: no batch, no worker. */
  public boolean isWithdrawal() {
    return batchId == null;
  }

  /** Whether this event ends the request. */
  public boolean isTerminal() {
    return status.isTerminal();
  }

  static boolean isPng(byte[] bytes) {
    return bytes.length > PNG_MAGIC.length
        && Arrays.equals(Arrays.copyOf(bytes, PNG_MAGIC.length), PNG_MAGIC);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GenerationResult r
        && requestId.equals(r.requestId) && Objects.equals(batchId, r.batchId)
        && status == r.status && attempt == r.attempt && Objects.equals(workerId, r.workerId)
        && Objects.equals(startedAt, r.startedAt)
        && Objects.equals(finishedAt, r.finishedAt) && sameMetrics(metrics, r.metrics)
        && encodeMillis == r.encodeMillis && Arrays.equals(png, r.png)
        && Objects.equals(error, r.error);
  }

  private static boolean sameMetrics(DecodeMetrics a, DecodeMetrics b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.steps() == b.steps() && a.targetForwards() == b.targetForwards()
        && a.drafterForwards() == b.drafterForwards() && a.draftedTokens() == b.draftedTokens()
        && a.acceptedTokens() == b.acceptedTokens()
        && Double.compare(a.meanAcceptedLength(), b.meanAcceptedLength()) == 0
        && Arrays.equals(a.acceptedPerPosition(), b.acceptedPerPosition())
        && a.decodeMillis() == b.decodeMillis();
  }

  @Override
  public int hashCode() {
    return Objects.hash(requestId, batchId, status, attempt, workerId, startedAt, finishedAt,
        encodeMillis, Arrays.hashCode(png), error);
  }

  @Override
  public String toString() {
    return "GenerationResult[" + requestId + " " + status + " attempt=" + attempt + " worker="
        + workerId + (png == null ? "" : " png=" + png.length + "B")
        + (error == null ? "" : " error=" + error.code()) + "]";
  }
}
