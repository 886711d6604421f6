/**
 * The gateway's Prometheus series: what the result recorder finished ({@code
 * tessera_requests_total}, {@code tessera_e2e_request_latency_seconds}), retries and dead letters.
 */
package dev.tessera.gateway.metrics;
