/**
 * The worker's Kafka edge: the batch listener (manual acknowledgement after delivery), the result
 * sink, heartbeats.
 */
package dev.tessera.worker.kafka;
