/**
 * The worker's engine: the model registry (with the random-weights fallback), the iteration-level
 * batch executor and its result sink; no Kafka.
 */
package dev.tessera.worker.engine;
