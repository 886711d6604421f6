package dev.tessera.contract;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a generation: {@code QUEUED → DISPATCHED → RUNNING → SUCCEEDED | FAILED | CANCELLED |
 * EXPIRED}, with {@code RETRYING} between a retryable failure and the next dispatch. Terminal states
 * never change again; every store and consumer relies on that (a terminal entry can be cached forever,
 * a second delivery of a terminal result is a no-op). The one exception is deliberate and explicit: an
 * admin's replay of a dead letter starts a FAILED generation's new life at QUEUED (the gateway drops
 * its cache entry and its unbilled usage event as it does).
 */
public enum GenerationState {
  /** Accepted and durable in PostgreSQL; waiting in the scheduler's pending queue. */
  QUEUED,
  /** Part of a batch the scheduler published to the workers. */
  DISPATCHED,
  /** A worker admitted it into its decode loop. */
  RUNNING,
  /** Decoded and encoded; the PNG is stored. */
  SUCCEEDED,
  /** Ended with an error (after its retries, where retryable). */
  FAILED,
  /** Cancelled by the client. */
  CANCELLED,
  /** Its deadline passed before decoding started. */
  EXPIRED,
  /** A retryable failure happened; it waits for its next dispatch. */
  RETRYING;

  private static final Set<GenerationState> TERMINAL = EnumSet.of(SUCCEEDED, FAILED, CANCELLED, EXPIRED);

  /** Whether this state is final. */
  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  /** The terminal states. */
  public static Set<GenerationState> terminal() {
    return EnumSet.copyOf(TERMINAL);
  }

  /** The non-terminal states. */
  public static Set<GenerationState> active() {
    return EnumSet.complementOf(EnumSet.copyOf(TERMINAL));
  }

  /**
   * Whether a generation in this state may move to {@code next}. Terminal states move nowhere; any
   * active state may end (a result can overtake the bookkeeping of earlier states); otherwise the
   * order is QUEUED/RETRYING → DISPATCHED → RUNNING, and RUNNING may be reported again on redelivery.
   */
  public boolean canMoveTo(GenerationState next) {
    if (isTerminal()) {
      return false;
    }
    return switch (next) {
      case QUEUED -> false;
      case DISPATCHED -> this == QUEUED || this == RETRYING;
      case RUNNING -> true;
      case RETRYING -> this == DISPATCHED || this == RUNNING;
      case SUCCEEDED, FAILED, CANCELLED, EXPIRED -> true;
    };
  }
}
