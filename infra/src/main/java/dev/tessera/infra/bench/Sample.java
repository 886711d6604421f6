package dev.tessera.infra.bench;

import java.time.Instant;

/**
 * One submission and what became of it.
 *
 * @param tenant tenant label in the report ({@code bench}, {@code heavy}, {@code light})
 * @param priority {@code high}, {@code normal} or {@code low}
 * @param phase when it was submitted
 * @param httpStatus status of the POST; -1 when there was no response
 * @param sentAt client wall clock when the POST was sent
 * @param submitNanos POST round trip
 * @param clientLatencyNanos POST sent → terminal state seen by a poll (client-observed; resolution
 *     is the poll interval); -1 when never seen
 * @param abandoned still unfinished when the drain time ran out, so the benchmark cancelled it
 * @param view its last view; null unless accepted and read back
 */
record Sample(String tenant, String priority, Phase phase, int httpStatus, Instant sentAt,
    long submitNanos, long clientLatencyNanos, boolean abandoned, View view) {

  /** When a request was submitted. */
  enum Phase {
    /** The first request of each tenant, before anything is measured (class loading, JIT). */
    WARMUP,
    /** Sequential requests of the compared class, one at a time: the unloaded baseline. */
    UNLOADED,
    /** The loaded phase before the measurement window opens, while queues fill. */
    RAMP,
    /** The loaded phase's measurement window. */
    LOADED
  }

  /** Accepted, decoded and recorded. */
  boolean succeeded() {
    return view != null && view.succeeded();
  }

  /** Where the POST's midpoint was on the client's clock: the best guess of the server's accept. */
  Instant sentMidpoint() {
    return sentAt.plusNanos(submitNanos / 2);
  }
}
