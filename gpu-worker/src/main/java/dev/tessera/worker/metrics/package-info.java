/**
 * The worker's Prometheus series: how full its decoders are (read from the {@link
 * dev.tessera.worker.engine.ModelRegistry}) and what its finished images cost (from their {@link
 * dev.tessera.contract.DecodeMetrics}).
 */
package dev.tessera.worker.metrics;
