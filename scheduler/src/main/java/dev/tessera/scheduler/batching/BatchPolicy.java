package dev.tessera.scheduler.batching;

import java.time.Duration;
import java.time.Instant;

/**
 * When a group of pending requests becomes a batch: at once when it is full, or when its oldest
 * request has waited the maximum batch wait; otherwise wake up when that wait runs out. A pure
 * function of the queue and the time, so it is tested without Kafka or a clock.
 */
public final class BatchPolicy {

  /** What to do with one group now. */
  public sealed interface Decision permits Dispatch, WaitUntil, Idle {}

  /** Dispatch the first {@code count} requests of the group now. */
  public record Dispatch(int count) implements Decision {}

  /** Nothing to do before {@code wakeAt}. */
  public record WaitUntil(Instant wakeAt) implements Decision {}

  /** The group is empty. */
  public record Idle() implements Decision {}

  private final int maxBatchSize;
  private final Duration maxWait;

  public BatchPolicy(int maxBatchSize, Duration maxWait) {
    if (maxBatchSize < 1 || maxWait.isNegative()) {
      throw new IllegalArgumentException("max batch size must be >= 1 and max wait >= 0");
    }
    this.maxBatchSize = maxBatchSize;
    this.maxWait = maxWait;
  }

  /**
   * Decides for one group.
   *
   * @param queued requests pending in the group
   * @param oldestEnqueuedAt when its oldest request entered the queue (ignored if {@code queued == 0})
   * @param now the current time
   */
  public Decision decide(int queued, Instant oldestEnqueuedAt, Instant now) {
    if (queued <= 0) {
      return new Idle();
    }
    if (queued >= maxBatchSize) {
      return new Dispatch(maxBatchSize);
    }
    Instant due = oldestEnqueuedAt.plus(maxWait);
    return now.isBefore(due) ? new WaitUntil(due) : new Dispatch(queued);
  }

  public int maxBatchSize() {
    return maxBatchSize;
  }
}
