/**
 * The worker service: loads the configured models ({@link dev.tessera.worker.engine.ModelRegistry}),
 * consumes batches, decodes them in one continuous-batching loop ({@link dev.tessera.worker.engine.DecodeEngine}) and publishes one
 * result per request; announces its models and capacity in heartbeats. The offline commands live in
 * {@code dev.tessera.worker.cli}.
 */
package dev.tessera.worker;
