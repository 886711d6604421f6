/**
 * The scheduler's Prometheus series ({@code tessera_requests_waiting}, {@code
 * tessera_request_queue_time_seconds}, {@code tessera_batch_size}), fed by one-line hooks in the
 * dispatch loop.
 */
package dev.tessera.scheduler.metrics;
