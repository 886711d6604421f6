/**
 * Pure batching logic: the pending queues per (model, strategy) and the {@link
 * dev.tessera.scheduler.batching.BatchPolicy}; no Kafka, no clock of their own.
 */
package dev.tessera.scheduler.batching;
